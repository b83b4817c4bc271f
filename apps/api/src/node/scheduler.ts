import type { Runtime } from "../runtime.ts";

/** Runs the jobs every `intervalMs` in-process (Node's stand-in for Cron Triggers); never two at once. */
export function startScheduler(deps: Pick<Runtime, "clock" | "runJobs">, intervalMs = 60_000): { stop(): void } {
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
