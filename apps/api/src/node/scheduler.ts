import type { Runtime } from "../runtime.ts";

/** What the scheduler runs: the jobs at `now`, told by `stopping` when the process shuts down. */
export type SchedulerDeps = Pick<Runtime, "clock"> & { runJobs(now: Date, stopping: AbortSignal): Promise<unknown> };

/**
 * Runs the jobs every `intervalMs` in-process (Node's stand-in for Cron Triggers); never two at once.
 * `stop()` ends the ticks, tells the tick in flight (its `stopping` signal aborts: it starts no new
 * push) and settles when that tick is done.
 */
export function startScheduler(deps: SchedulerDeps, intervalMs = 60_000): { stop(): Promise<void> } {
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      try {
        await deps.runJobs(await deps.clock.now(), stopping.signal);
      } catch (err) {
        console.error("scheduler tick failed:", err);
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return {
    stop: () => {
      clearInterval(timer);
      stopping.abort();
      return running ?? Promise.resolve();
    },
  };
}
