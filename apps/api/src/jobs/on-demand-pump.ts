/** A pump's kick, and how to stop it when the process shuts down. */
export type OnDemandPump = {
  /** Starts a run, or one more after the current; settles when the pump is idle again. */
  (): Promise<void>;
  /**
   * No run starts after this, and the run in flight is told (its `stopping` signal aborts) to start
   * no new push; settles when it has recorded the outcomes of the pushes it had started.
   */
  stop(): Promise<void>;
};

/**
 * A job run on demand between ticks in one long-lived process (the Node server): kicks while a run
 * is going coalesce into one more run, and a run repeats while it still claims work (`run` answers
 * how much it claimed). The promise a kick returns settles when the pump is idle again. A failed
 * run is logged and ends the pump until the next kick or tick; the tick's own run is never blocked,
 * since claims keep runs (and instances) apart. After `stop()` kicks do nothing: what they would
 * have taken stays in the database for the next start.
 */
export function onDemandPump(name: string, run: (stopping: AbortSignal) => Promise<number>): OnDemandPump {
  let current: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const stopping = new AbortController();
  const pump = async () => {
    try {
      do {
        again = false;
        if ((await run(stopping.signal)) > 0) again = true;
      } while (again && !stopped);
    } catch (err) {
      console.error(`${name} failed:`, err);
    } finally {
      current = null;
    }
  };
  const kick = () => {
    if (stopped) return Promise.resolve();
    if (current) {
      again = true;
      return current;
    }
    return (current = pump());
  };
  return Object.assign(kick, {
    stop: () => {
      stopped = true;
      stopping.abort();
      return current ?? Promise.resolve();
    },
  });
}
