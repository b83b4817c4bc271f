import { checkEndpoint, nextRetryDelayMs } from "@postvej/core/delivery";
import {
  appendEvents, findMessageBody, getRecipientSystem, inTransaction, releaseClaims,
  type ClaimedMessage, type Database, type RecipientSystemsTable,
} from "@postvej/db";
import type { Kysely } from "kysely";
import type { Clock } from "../clock.ts";
import { pushMessage, type PushOutcome } from "./push-client.ts";

/** What a delivery run needs. */
export type DeliveryDeps = {
  db: Kysely<Database>;
  clock: Clock;
  pushTimeoutMs: number;
  production: boolean;
  random?: () => number;
  fetch?: typeof fetch;
};

/** The outcome of one claimed message in a run. */
export type AttemptResult = "delivered" | "failed" | "skipped";

/**
 * Pushes one claimed message to its system and records the attempt, the message's next state,
 * the system's clocks and the event in one transaction. Only the holder of the claim writes.
 */
export async function attemptDelivery(deps: DeliveryDeps, m: ClaimedMessage, token: string, system: RecipientSystemsTable | undefined): Promise<AttemptResult> {
  const { db } = deps;
  if (!system || system.state !== "active" || system.protocol !== "REST_PUSH" || !system.endpoint || !system.signing_secret) {
    await releaseClaims(db, [m.uuid], token);
    return "skipped";
  }
  const body = await findMessageBody(db, m.uuid);
  if (!body) return "skipped";
  const attempt = m.attempt_count + 1;
  const policy = checkEndpoint(system.endpoint, { production: deps.production });
  const outcome: PushOutcome = policy.ok
    ? await pushMessage({
        endpoint: system.endpoint, signingSecret: system.signing_secret, messageUuid: m.uuid,
        contactPointId: m.route_contact_point_id, attempt, body, timeoutMs: deps.pushTimeoutMs,
        now: await deps.clock.now(), ...(deps.fetch ? { fetch: deps.fetch } : {}),
      })
    : { outcome: "failed", statusCode: null, error: `endpoint_refused: ${policy.message}`, retryAfterMs: null, durationMs: 0 };
  const now = await deps.clock.now();
  const at = now.toISOString();
  const delivered = outcome.outcome === "delivered";
  const delay = outcome.retryAfterMs ?? nextRetryDelayMs(attempt, deps.random ?? Math.random);

  await inTransaction(db, async (tx) => {
    await tx.insertInto("attempts").values({
      message_uuid: m.uuid, recipient_system_id: system.id, attempt_no: attempt, at,
      outcome: delivered ? "delivered" : "failed", status_code: outcome.statusCode, error: outcome.error,
      duration_ms: Math.round(outcome.durationMs),
    }).execute();
    const updated = await tx.updateTable("messages").set(delivered
      ? { state: "delivered", delivered_at: at, next_attempt_at: null, attempt_count: attempt, last_attempt_at: at, claim_token: null, claimed_until: null }
      : { attempt_count: attempt, last_attempt_at: at, first_failed_at: m.first_failed_at ?? at, next_attempt_at: new Date(now.getTime() + delay).toISOString(), claim_token: null, claimed_until: null },
    ).where("uuid", "=", m.uuid).where("claim_token", "=", token).where("state", "=", "queued").executeTakeFirst();
    // A message rerouted while this push was in flight keeps its new custodian; the attempt is still on record.
    if (Number(updated.numUpdatedRows) === 0) return;
    if (delivered) {
      await tx.updateTable("recipient_systems").set({ last_delivered_at: at, failing_since: null }).where("id", "=", system.id).execute();
    } else {
      await tx.updateTable("recipient_systems")
        .set((e) => ({ failing_since: e.fn.coalesce("failing_since", e.val(at)), episode_started_at: e.fn.coalesce("episode_started_at", e.val(at)) }))
        .where("id", "=", system.id).execute();
    }
    await appendEvents(tx, [{
      authorityCvr: m.authority_cvr, at, type: delivered ? "delivered" : "attempt_failed", messageUuid: m.uuid, recipientSystemId: system.id,
      data: { attempt, statusCode: outcome.statusCode, error: outcome.error, durationMs: Math.round(outcome.durationMs), ...(delivered ? {} : { nextAttemptAt: new Date(now.getTime() + delay).toISOString() }) },
    }]);
  });
  return delivered ? "delivered" : "failed";
}

/** Loads each system once per run. */
export function systemCache(db: Kysely<Database>) {
  const cache = new Map<string, Promise<RecipientSystemsTable | undefined>>();
  return (id: string) => {
    let hit = cache.get(id);
    if (!hit) cache.set(id, (hit = getRecipientSystem(db, id)));
    return hit;
  };
}
