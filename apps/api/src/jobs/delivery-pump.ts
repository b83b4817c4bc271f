import { DEFAULT_DELIVERY_LIMITS, deliverDue } from "../delivery/deliver-due.ts";
import { onDemandPump } from "./on-demand-pump.ts";
import { pushDueReceipts } from "./receipt-pump.ts";
import type { JobDeps } from "./run-jobs.ts";

/**
 * Deliveries on demand in the Node server, so fresh post goes out at once instead of at the next
 * tick: each run is one `deliverDue` (claim, push, record). A run that claimed anything made
 * outcomes, hence receipts for their senders: it kicks `afterOutcomes` (the receipt pump). Not for
 * Workers, where a request must never wait on a run another request started (see worker.ts).
 */
export function deliveryPump(jobs: JobDeps, afterOutcomes?: () => void): () => Promise<void> {
  return onDemandPump("delivery run", async () => {
    const r = await deliverDue(jobs, jobs.deliveryLimits ?? DEFAULT_DELIVERY_LIMITS);
    if (r.claimed > 0) afterOutcomes?.();
    return r.claimed;
  });
}

/** Receipts to senders on demand in the Node server, so a sender hears of an outcome at once rather than at the next tick. */
export function receiptPump(jobs: JobDeps): () => Promise<void> {
  return onDemandPump("receipt run", async () => (await pushDueReceipts(jobs, await jobs.clock.now())).claimed);
}
