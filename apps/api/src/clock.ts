import { addToSetting, getSetting, type Db } from "@postvej/db";

/** Where the app reads the time; every job and handler takes `now` from here. */
export type Clock = {
  now(): Promise<Date>;
  /** Only on the simulated clock: moves it forward by `ms` and returns the new time. */
  advance?(ms: number): Promise<Date>;
};

/** The real clock. */
export const systemClock: Clock = { now: async () => new Date() };

const OFFSET_KEY = "simulated_clock_offset_ms";

/**
 * A clock running `offset` ahead of real time, the offset kept in the database so every
 * process and isolate (Node, Workers) shares one simulated time. It is domain time only: push
 * signatures, token expiry and claim leases keep to the wall clock.
 */
export function simulatedClock(db: Db): Clock {
  const offset = async () => Number((await getSetting(db, OFFSET_KEY)) ?? 0);
  return {
    now: async () => new Date(Date.now() + (await offset())),
    // One atomic add: two instances advancing at once both count.
    advance: async (ms: number) => new Date(Date.now() + (await addToSetting(db, OFFSET_KEY, ms))),
  };
}
