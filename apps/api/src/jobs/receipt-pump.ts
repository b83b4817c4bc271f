import { checkEndpoint } from "@postvej/core/delivery";
import { randomToken } from "@postvej/core/ids";
import { afterReceiptPush, RECEIPT_LEASE_MS, RECEIPT_PUSH_LIMITS, RECEIPT_PUSH_TIMEOUT_MS, senderReceipt } from "@postvej/core/lifecycle";
import { claimDueReceipts, recordReceiptPush, releaseReceiptClaims, type ClaimedReceipt } from "@postvej/db";
import { pushReceipt, type ReceiptPushResult } from "../delivery/receipt-client.ts";
import type { AppConfig } from "../config.ts";
import type { Runtime } from "../runtime.ts";
import { openSecret, SecretBoxError } from "../services/secret-box.ts";
import { receiptSource } from "../views/sender-receipt-json.ts";

/** What the receipt job needs of the runtime. */
export type ReceiptPumpDeps = Pick<Runtime, "db" | "wallClock" | "random" | "fetch" | "signPayload"> & {
  config: Pick<AppConfig, "production"> & { secretKey?: AppConfig["secretKey"] };
};

/**
 * Pushes the receipts due at `now` (domain time) to their senders' endpoints: a batch claimed with
 * a wall-clock lease (two instances never push one receipt at once), a few at a time, each within
 * its own timeout. A 2xx marks it pushed; anything else schedules the next try on the delivery
 * retry schedule, until it is given up (it stays in the pull feed). Separate from every delivery
 * run: a sender's dead endpoint holds only this job. Once `stopping` aborts (a graceful shutdown)
 * no new push starts: the receipts not yet pushed are given back, due as they were (the next start
 * pushes them at once), and the run ends when the pushes in flight are recorded.
 */
export async function pushDueReceipts(
  deps: ReceiptPumpDeps,
  now: Date,
  limits: { batch: number; concurrency: number; timeoutMs?: number } = RECEIPT_PUSH_LIMITS,
  stopping?: AbortSignal,
): Promise<{ claimed: number; pushed: number; failed: number; gaveUp: number }> {
  const wall = (deps.wallClock ?? Date.now)();
  const token = randomToken(20);
  const claimed = await claimDueReceipts(deps.db, {
    now: now.toISOString(),
    leaseNow: new Date(wall).toISOString(),
    leaseUntil: new Date(wall + RECEIPT_LEASE_MS).toISOString(),
    token,
    limit: limits.batch,
  });
  const report = { claimed: claimed.length, pushed: 0, failed: 0, gaveUp: 0 };
  let next = 0;
  const worker = async () => {
    while (next < claimed.length && !stopping?.aborted) {
      const r = claimed[next++]!;
      const result = await pushOne(deps, r, limits.timeoutMs ?? RECEIPT_PUSH_TIMEOUT_MS);
      const n = afterReceiptPush(r.push_attempts + 1, result, now, deps.random ?? Math.random);
      if (!(await recordReceiptPush(deps.db, r.seq, token, n))) continue;
      if (n.pushedAt) report.pushed++;
      else if (n.pushGaveUpAt) report.gaveUp++;
      else report.failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limits.concurrency, claimed.length) }, worker));
  await releaseReceiptClaims(
    deps.db,
    claimed.slice(next).map((r) => r.seq),
    token,
  );
  return report;
}

async function pushOne(deps: ReceiptPumpDeps, r: ClaimedReceipt, timeoutMs: number): Promise<ReceiptPushResult> {
  const policy = checkEndpoint(r.url, { production: deps.config.production });
  if (!policy.ok) return { ok: false, statusCode: null, error: `endpoint_refused: ${policy.message}` };
  let secret: string;
  try {
    secret = await openSecret(deps.config.secretKey, r.signing_secret, r.sender_key_id);
  } catch (e) {
    if (!(e instanceof SecretBoxError)) throw e;
    console.error(`postvej: receipt endpoint of ${r.sender_key_id}: ${e.message}`);
    return { ok: false, statusCode: null, error: "no_signing_secret" };
  }
  const body = new TextEncoder().encode(JSON.stringify(senderReceipt(receiptSource(r))));
  return pushReceipt({
    url: r.url,
    signingSecret: secret,
    receiptId: r.id,
    body,
    timeoutMs,
    signedAt: new Date(),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.signPayload ? { sign: deps.signPayload } : {}),
  });
}
