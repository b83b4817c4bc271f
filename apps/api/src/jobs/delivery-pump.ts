import { DEFAULT_DELIVERY_LIMITS, deliverDue } from "../delivery/deliver-due.ts";
import { onDemandPump } from "./on-demand-pump.ts";
import { pushDueReceipts } from "./receipt-pump.ts";
import type { JobDeps } from "./run-jobs.ts";

/**
 * Deliveries on demand in the Node server, so fresh post goes out at once instead of at the next
 * tick: each run is one `deliverDue` (claim, push, record). A kick naming a system runs that
 * system's own pump, which claims only its post, so a system whose pushes hang until the timeout
 * holds up its own next run and no other system's; a kick without one runs the pump over all
 * systems. Claims keep the pumps (and the scheduler's tick) apart. A run that claimed anything
 * made outcomes, hence receipts for their senders: it kicks `afterOutcomes` (the receipt pump).
 * Not for Workers, where a request must never wait on a run another request started (see worker.ts).
 */
export function deliveryPump(jobs: JobDeps, afterOutcomes?: () => void): (systemId?: string) => Promise<void> {
  const runFor = (systemId?: string) => async () => {
    const r = await deliverDue(jobs, jobs.deliveryLimits ?? DEFAULT_DELIVERY_LIMITS, systemId);
    if (r.claimed > 0) afterOutcomes?.();
    return r.claimed;
  };
  const all = onDemandPump("delivery run", runFor());
  // One small pump per system that was ever kicked: as many as the systems, never more.
  const bySystem = new Map<string, () => Promise<void>>();
  return (systemId) => {
    if (systemId === undefined) return all();
    let pump = bySystem.get(systemId);
    if (!pump) bySystem.set(systemId, (pump = onDemandPump(`delivery run for ${systemId}`, runFor(systemId))));
    return pump();
  };
}

/** Receipts to senders on demand in the Node server, so a sender hears of an outcome at once rather than at the next tick. */
export function receiptPump(jobs: JobDeps): () => Promise<void> {
  return onDemandPump("receipt run", async () => (await pushDueReceipts(jobs, await jobs.clock.now())).claimed);
}
