import type { Redelivery, RetryNow } from "@postvej/contract";
import { isManualRepeat, redeliver, retryNow } from "@postvej/core/lifecycle";
import {
  appendEvents,
  getRecipientSystem,
  inTransaction,
  lastManualRedelivery,
  lastRetryNow,
  makeSystemDueNow,
  redeliverMessage,
  type Database,
  type MessageMeta,
  type RecipientSystemsTable,
} from "@postvej/db";
import type { Kysely } from "kysely";
import { ApiError } from "../errors.ts";

/** Who asked, as the histories name them. */
export type ManualActor = { kind: "api_key" | "portal_user"; id: string; name: string };

/** What a manual request answers: the answer, whether it is a repeat of one within the minute, and which system to kick. */
export type ManualOutcome<T> = { body: T; repeat: boolean; kick: string | null };

/**
 * Delivers a queued or delivered message again now to its current custodian system, as the
 * lifecycle's `redeliver` says, with a `manual_redelivery` event naming the actor; in one
 * transaction. Within a minute of the last redelivery it answers that one again and changes nothing.
 */
export async function redeliverNow(
  db: Kysely<Database>,
  m: MessageMeta,
  actor: ManualActor,
  now: Date,
): Promise<ManualOutcome<Redelivery>> {
  return inTransaction(db, async (tx) => {
    const last = await lastManualRedelivery(tx, m.uuid);
    if (last && isManualRepeat(last.at, now)) {
      const d = JSON.parse(last.data) as Omit<Redelivery, "messageUUID" | "recipientSystemId" | "requestedAt">;
      return {
        body: { messageUUID: m.uuid, recipientSystemId: last.recipient_system_id ?? "", requestedAt: last.at, ...pick(d) },
        repeat: true,
        kick: null,
      };
    }
    const system = m.custodian_system_id ? await getRecipientSystem(tx, m.custodian_system_id) : undefined;
    const t = redeliver(m, system ?? null, now);
    if (!t.ok) throw refusal(t.reason, m);
    const systemId = m.custodian_system_id as string;
    if (!(await redeliverMessage(tx, m.uuid, systemId, t.guard, t.next))) {
      throw new ApiError(409, "not_redeliverable", `message ${m.uuid} changed while it was being redelivered; read it and try again`);
    }
    const at = now.toISOString();
    const body: Redelivery = {
      messageUUID: m.uuid,
      recipientSystemId: systemId,
      requestedAt: at,
      requestedBy: { kind: actor.kind, name: actor.name },
      previousState: t.guard,
      state: t.next.state,
      nextAttemptAt: t.push ? (t.next.nextAttemptAt ?? at) : null,
    };
    await appendEvents(tx, [
      {
        authorityCvr: m.authority_cvr,
        at,
        type: t.event,
        messageUuid: m.uuid,
        recipientSystemId: systemId,
        data: {
          by: actor.name,
          requestedBy: body.requestedBy,
          actorId: actor.id,
          previousState: body.previousState,
          state: body.state,
          nextAttemptAt: body.nextAttemptAt,
        },
      },
    ]);
    return { body, repeat: false, kick: t.push ? systemId : null };
  });
}

function pick(d: Omit<Redelivery, "messageUUID" | "recipientSystemId" | "requestedAt">) {
  return { requestedBy: d.requestedBy, previousState: d.previousState, state: d.state, nextAttemptAt: d.nextAttemptAt };
}

function refusal(reason: "not_redeliverable" | "system_deactivated", m: MessageMeta): ApiError {
  if (reason === "system_deactivated") {
    return new ApiError(
      409,
      "system_deactivated",
      `message ${m.uuid} is at recipient system ${m.custodian_system_id}, which is deactivated; reactivate it, or let its post move on`,
    );
  }
  return new ApiError(
    409,
    "not_redeliverable",
    `message ${m.uuid} is ${m.state}; only a queued or delivered message at a recipient system can be redelivered`,
  );
}

/**
 * Makes the queued post of push system `s` that waits for a later attempt due now (at most the
 * lifecycle's limit), with a `retry_now` event naming the actor; in one transaction. Within a minute
 * of the last retry-now it answers that one again, unless that one left more to do.
 */
export async function retrySystemNow(
  db: Kysely<Database>,
  s: RecipientSystemsTable,
  actor: ManualActor,
  now: Date,
  leaseNow: Date,
): Promise<ManualOutcome<RetryNow>> {
  return inTransaction(db, async (tx) => {
    const last = await lastRetryNow(tx, s.id);
    if (last && isManualRepeat(last.at, now)) {
      const d = JSON.parse(last.data) as Pick<RetryNow, "requestedBy" | "madeDue" | "limit" | "more">;
      if (!d.more) {
        return {
          body: {
            recipientSystemId: s.id,
            requestedAt: last.at,
            requestedBy: d.requestedBy,
            madeDue: d.madeDue,
            limit: d.limit,
            more: d.more,
          },
          repeat: true,
          kick: null,
        };
      }
    }
    const t = retryNow(s, now);
    if (!t.ok) {
      throw t.reason === "system_deactivated"
        ? new ApiError(409, "system_deactivated", `recipient system ${s.id} is deactivated; reactivate it first`)
        : new ApiError(
            409,
            "not_push_system",
            `recipient system ${s.id} is a pull system: it fetches its own post, which is waiting already`,
          );
    }
    const r = await makeSystemDueNow(tx, s.id, { now: t.nextAttemptAt, leaseNow: leaseNow.toISOString(), limit: t.limit });
    const body: RetryNow = {
      recipientSystemId: s.id,
      requestedAt: t.nextAttemptAt,
      requestedBy: { kind: actor.kind, name: actor.name },
      madeDue: r.madeDue,
      limit: t.limit,
      more: r.more,
    };
    await appendEvents(tx, [
      {
        authorityCvr: s.authority_cvr,
        at: body.requestedAt,
        type: t.event,
        recipientSystemId: s.id,
        data: {
          by: actor.name,
          requestedBy: body.requestedBy,
          actorId: actor.id,
          madeDue: body.madeDue,
          limit: body.limit,
          more: body.more,
        },
      },
    ]);
    return { body, repeat: false, kick: s.id };
  });
}
