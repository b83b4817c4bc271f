import type { Runtime } from "../runtime.ts";

/**
 * Runs the jobs every `intervalMs` in-process (Node's stand-in for Cron Triggers); never two at once.
 * `stop()` ends the ticks and settles when the tick in flight (if any) is done.
 */
export function startScheduler(deps: Pick<Runtime, "clock" | "runJobs">, intervalMs = 60_000): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      try {
        await deps.runJobs(await deps.clock.now());
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
      return running ?? Promise.resolve();
    },
  };
}
