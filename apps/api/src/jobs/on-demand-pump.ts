/**
 * A job run on demand between ticks in one long-lived process (the Node server): kicks while a run
 * is going coalesce into one more run, and a run repeats while it still claims work (`run` answers
 * how much it claimed). The promise a kick returns settles when the pump is idle again. A failed
 * run is logged and ends the pump until the next kick or tick; the tick's own run is never blocked,
 * since claims keep runs (and instances) apart.
 */
export function onDemandPump(name: string, run: () => Promise<number>): () => Promise<void> {
  let current: Promise<void> | null = null;
  let again = false;
  const pump = async () => {
    try {
      do {
        again = false;
        if ((await run()) > 0) again = true;
      } while (again);
    } catch (err) {
      console.error(`${name} failed:`, err);
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
