/** A pump's kick, and how to stop it when the process shuts down. */
export type OnDemandPump = {
  /** Starts a run, or one more after the current; settles when the pump is idle again. */
  (): Promise<void>;
  /** No run starts after this; settles when the run in flight (if any) has recorded its outcomes. */
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
export function onDemandPump(name: string, run: () => Promise<number>): OnDemandPump {
  let current: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const pump = async () => {
    try {
      do {
        again = false;
        if ((await run()) > 0) again = true;
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
      return current ?? Promise.resolve();
    },
  });
}
