import { DEFAULT_DELIVERY_LIMITS, deliverDue } from "../delivery/deliver-due.ts";
import { onDemandPump, type OnDemandPump } from "./on-demand-pump.ts";
import { pushDueReceipts } from "./receipt-pump.ts";
import type { JobDeps } from "./run-jobs.ts";

/** The delivery pump's kick (of one system's pump, or of the one over all) and its `stop()` (all of them). */
export type DeliveryPump = { (systemId?: string): Promise<void>; stop(): Promise<void> };

/**
 * Deliveries on demand in the Node server, so fresh post goes out at once instead of at the next
 * tick: each run is one `deliverDue` (claim, push, record). A kick naming a system runs that
 * system's own pump, which claims only its post, so a system whose pushes hang until the timeout
 * holds up its own next run and no other system's; a kick without one runs the pump over all
 * systems. Claims keep the pumps (and the scheduler's tick) apart. A run that claimed anything
 * made outcomes, hence receipts for their senders: it kicks `afterOutcomes` (the receipt pump).
 * Not for Workers, where a request must never wait on a run another request started (see worker.ts).
 */
export function deliveryPump(jobs: JobDeps, afterOutcomes?: () => void): DeliveryPump {
  const runFor = (systemId?: string) => async (stopping: AbortSignal) => {
    const r = await deliverDue(jobs, jobs.deliveryLimits ?? DEFAULT_DELIVERY_LIMITS, systemId, stopping);
    if (r.claimed > 0) afterOutcomes?.();
    return r.claimed;
  };
  const all = onDemandPump("delivery run", runFor());
  // One small pump per system that was ever kicked: as many as the systems, never more.
  const bySystem = new Map<string, OnDemandPump>();
  let stopped = false;
  const kick = (systemId?: string) => {
    if (stopped) return Promise.resolve();
    if (systemId === undefined) return all();
    let pump = bySystem.get(systemId);
    if (!pump) bySystem.set(systemId, (pump = onDemandPump(`delivery run for ${systemId}`, runFor(systemId))));
    return pump();
  };
  return Object.assign(kick, {
    stop: async () => {
      stopped = true;
      await Promise.all([all.stop(), ...[...bySystem.values()].map((p) => p.stop())]);
    },
  });
}

/** Receipts to senders on demand in the Node server, so a sender hears of an outcome at once rather than at the next tick. */
export function receiptPump(jobs: JobDeps): OnDemandPump {
  return onDemandPump(
    "receipt run",
    async (stopping) => (await pushDueReceipts(jobs, await jobs.clock.now(), undefined, stopping)).claimed,
  );
}
