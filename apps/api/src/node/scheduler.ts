import type { AppDeps } from "../app-env.ts";
import { runDeliveries } from "../jobs/run-jobs.ts";

/** Runs the jobs every `intervalMs` in-process (Node's stand-in for Cron Triggers); never two at once. */
export function startScheduler(deps: AppDeps, intervalMs = 60_000): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await deps.runJobs(await deps.clock.now());
    } catch (err) {
      console.error("scheduler tick failed:", err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  void tick();
  return { stop: () => clearInterval(timer) };
}

/**
 * Delivery runs on demand between ticks, so a fresh message is pushed at once: kicks coalesce,
 * and a run repeats while it still finds due work. Claims keep it apart from the tick's own run.
 */
export function deliveryPump(deps: AppDeps): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) return void (again = true);
    running = true;
    try {
      do {
        again = false;
        const r = await runDeliveries(deps.jobs);
        if (r.claimed > 0) again = true;
      } while (again);
    } catch (err) {
      console.error("delivery run failed:", err);
    } finally {
      running = false;
    }
  };
  return () => void run();
}
