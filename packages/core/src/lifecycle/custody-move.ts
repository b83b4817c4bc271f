import type { Custody, QueueEntry } from "./message-state.ts";
import { enterQueue } from "./queue-entry.ts";

/** A fresh start at a new custodian: no claim, no failure, attempts counted from 1 again (the history keeps them all). */
export type FreshCustody = { queuedAt: string; claimToken: null; claimedUntil: null; firstFailedAt: null; attemptCount: 0 };

/** What moving a message to another custodian writes: for every moved message, and for the queued ones (held ones stay held). */
export type Move = { custody: FreshCustody; queued: Pick<QueueEntry, "state" | "nextAttemptAt">; push: boolean; toVirk: boolean };

function move(to: Custody, now: Date): Move {
  const entry = enterQueue(to, now);
  return {
    custody: { queuedAt: entry.queuedAt, claimToken: null, claimedUntil: null, firstFailedAt: null, attemptCount: 0 },
    queued: { state: entry.state, nextAttemptAt: entry.nextAttemptAt },
    push: entry.push,
    toVirk: to === "virk",
  };
}

/** Post leaves its system along the fallback chain (the primary, else Virk): it enters the new queue now. */
export function reroute(to: Custody, now: Date): Move {
  return move(to, now);
}

/** A relocation moves a message out of Virk to a recipient system: it enters that system's queue now. */
export function relocate(to: Exclude<Custody, "virk">, now: Date): Move {
  return move(to, now);
}
