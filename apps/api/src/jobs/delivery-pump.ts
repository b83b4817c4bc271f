import { DEFAULT_DELIVERY_LIMITS, deliverDue } from "../delivery/deliver-due.ts";
import type { JobDeps } from "./run-jobs.ts";

/**
 * Delivery runs on demand between ticks in one long-lived process (the Node server), so fresh post
 * goes out at once instead of at the next tick: kicks while a run is going coalesce into one more
 * run, and a run repeats while it still finds due work. Each run is one `deliverDue` (claim, push,
 * record); claims keep it apart from the tick's own run and other instances' runs. The promise
 * settles when the pump is idle again. Not for Workers, where a request must never wait on a run
 * another request started (see worker.ts).
 */
export function deliveryPump(jobs: JobDeps): () => Promise<void> {
  let current: Promise<void> | null = null;
  let again = false;
  const pump = async () => {
    try {
      do {
        again = false;
        const r = await deliverDue(jobs, jobs.deliveryLimits ?? DEFAULT_DELIVERY_LIMITS);
        if (r.claimed > 0) again = true;
      } while (again);
    } catch (err) {
      console.error("delivery run failed:", err);
    } finally {
      current = null;
    }
  };
  return () => {
    if (current) {
      again = true;
      return current;
    }
    return (current = pump());
  };
}
