// Workers only: the Queue fan-out of claimed deliveries. No node:* imports here.
import { renewClaims, type ClaimedMessage, type Database } from "@postvej/db";
import type { Kysely } from "kysely";

/** One Queue message: the claims of one recipient system from one scheduler run. */
export type DeliveryBatch = { token: string; claimed: ClaimedMessage[] };

/** The producer side of a Queue, as far as postvej uses it. */
export type DeliveryQueue = Pick<Queue<DeliveryBatch>, "sendBatch">;

// Cloudflare's limits for one sendBatch call: 100 messages and 256 KB in all; stay under them.
const MAX_MESSAGES = 100;
const MAX_BATCH_BYTES = 200_000;

/** Groups claims by their system: one Queue message per system, so one slow system holds up no other. */
export function batchesBySystem(token: string, claimed: readonly ClaimedMessage[]): DeliveryBatch[] {
  const bySystem = new Map<string, ClaimedMessage[]>();
  for (const m of claimed) {
    const list = bySystem.get(m.custodian_system_id);
    if (list) list.push(m);
    else bySystem.set(m.custodian_system_id, [m]);
  }
  return [...bySystem.values()].map((list) => ({ token, claimed: list }));
}

/** Sends the claims of one run as one message per system, in as few `sendBatch` calls as the limits allow. */
export async function dispatchToQueue(queue: DeliveryQueue, token: string, claimed: readonly ClaimedMessage[]): Promise<number> {
  const batches = batchesBySystem(token, claimed);
  let chunk: { body: DeliveryBatch; contentType: "json" }[] = [];
  let bytes = 0;
  for (const body of batches) {
    const size = JSON.stringify(body).length;
    if (chunk.length > 0 && (chunk.length === MAX_MESSAGES || bytes + size > MAX_BATCH_BYTES)) {
      await queue.sendBatch(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push({ body, contentType: "json" });
    bytes += size;
  }
  if (chunk.length > 0) await queue.sendBatch(chunk);
  return batches.length;
}

/**
 * The claims of a batch that this token still holds, unexpired, on queued messages — renewed for
 * this consumer's run. Queues deliver at least once and a batch may wait in the Queue past its
 * lease: a claim that lapsed may already belong to another run, so it is not pushed here.
 */
export async function stillClaimed(
  db: Kysely<Database>,
  batch: DeliveryBatch,
  wallNow: number,
  leaseMs: number,
): Promise<ClaimedMessage[]> {
  // Leases are wall-clock time (they guard real pushes), whatever clock the domain runs on.
  const held = await renewClaims(
    db,
    batch.claimed.map((m) => m.uuid),
    batch.token,
    new Date(wallNow).toISOString(),
    new Date(wallNow + leaseMs).toISOString(),
  );
  return batch.claimed.filter((m) => held.has(m.uuid));
}
