import { checkEndpoint } from "@postvej/core/delivery";
import { afterPush } from "@postvej/core/lifecycle";
import type { ClaimedMessage, RecipientSystemsTable } from "@postvej/db";
import type { AppConfig } from "../config.ts";
import type { Runtime } from "../runtime.ts";
import { bodyForSystem } from "./memo-for-system.ts";
import { signingSecretsFor } from "../services/signing-secrets.ts";
import { pushMessage, type PushOutcome } from "./push-client.ts";
import type { AttemptRecord } from "./record-attempts.ts";

/** What a delivery run needs of the runtime. */
export type DeliveryDeps = Pick<Runtime, "db" | "clock" | "wallClock" | "random" | "fetch" | "signPayload" | "bodyCodec"> & {
  config: Pick<AppConfig, "pushTimeoutMs" | "claimLeaseMs" | "production"> & { secretKey?: AppConfig["secretKey"] };
};

/** The outcome of one claimed message in a run. */
export type AttemptResult = "delivered" | "failed" | "skipped";

/**
 * Pushes one claimed message to its system and returns what to record, as the lifecycle's
 * `afterPush` says (the caller records attempts in batches). A message whose system can no longer
 * take pushes is given back unsent.
 */
export async function pushClaimed(
  deps: DeliveryDeps,
  m: ClaimedMessage,
  token: string,
  system: RecipientSystemsTable,
  body: Uint8Array,
): Promise<AttemptRecord> {
  const attempt = m.attempt_count + 1;
  const endpoint = system.endpoint ?? "";
  const policy = checkEndpoint(endpoint, { production: deps.config.production });
  // The system receives the MeMo version it chose; the signature covers these bytes.
  const sent = bodyForSystem(body, m.memo_version, system.memo_version);
  // Signed with the current secret, and the previous one while a rotation's grace lasts (wall clock).
  const [signingSecret, previousSigningSecret] = policy.ok ? await signingSecretsFor(deps.config.secretKey, system, new Date()) : [];
  const outcome: PushOutcome =
    policy.ok && signingSecret
      ? await pushMessage({
          endpoint,
          signingSecret,
          previousSigningSecret,
          messageUuid: m.uuid,
          contactPointId: m.route_contact_point_id,
          attempt,
          body: sent.bytes,
          timeoutMs: deps.config.pushTimeoutMs,
          signedAt: new Date(),
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          ...(deps.signPayload ? { sign: deps.signPayload } : {}),
        })
      : {
          outcome: "failed",
          statusCode: null,
          error: policy.ok ? "no_signing_secret" : `endpoint_refused: ${policy.message}`,
          retryAfterMs: null,
          durationMs: 0,
        };
  const pushed = { ...outcome, delivered: outcome.outcome === "delivered", receipt: outcome.businessReceipt ?? null };
  const result = afterPush(
    { attemptNo: attempt, firstFailedAt: m.first_failed_at },
    pushed,
    await deps.clock.now(),
    deps.random ?? Math.random,
  );
  return { message: m, systemId: system.id, token, outcome, result, ...(sent.conversion ? { conversion: sent.conversion } : {}) };
}

/** True when the system can take pushes now. */
export function canPush(system: RecipientSystemsTable | undefined): system is RecipientSystemsTable {
  return !!system && system.state === "active" && system.protocol === "REST_PUSH" && !!system.endpoint;
}
