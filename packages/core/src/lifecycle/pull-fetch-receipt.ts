import { EVENT_TYPE } from "../delivery/event-types.ts";
import { isRefusal, receiptError, type Receipt } from "./business-receipt.ts";
import { MESSAGE_STATE } from "./message-state.ts";
import type { AttemptEntry } from "./push-outcome.ts";

const MINUTE = 60_000;

/** How long a pull system has to fetch and receipt a waiting message before it counts as a failed attempt. */
export const PULL_GRACE_MS = 60 * MINUTE;

/**
 * How long a fetched message stays hidden from the waiting list before it returns to waiting. On the
 * wall clock, like push claims: the lease guards a fetch in flight, so a jump of the simulated
 * clock must not hand the message out again.
 */
export const PULL_LEASE_MS = 10 * MINUTE;

/**
 * True when a pull message was handed to its system: fetched since it came to the system (or was last
 * redelivered), its lease running or lapsed. Only such a message takes a receipt (list, fetch, receipt).
 */
export function isFetched(m: { claimedUntil: string | null }): boolean {
  return m.claimedUntil !== null;
}

/** A pull system's receipt: RECEIVED/COMPLETED deliver the message; INVALID/NOT_ALLOWED record its refusal (never retried). */
export type { Receipt } from "./business-receipt.ts";

/** The columns a receipt writes. */
export type AfterReceipt = {
  state: "delivered";
  deliveredAt: string;
  receiptStatus: string;
  receiptError: string | null;
  attemptCount: number;
  lastAttemptAt: string;
  nextAttemptAt: null;
  claimToken: null;
  claimedUntil: null;
};

/**
 * A queued pull message was receipted at `now` (its attempt `attemptCount + 1`). Any receipt is an
 * answer from a living system, so the system counts as delivered either way.
 */
export function afterReceipt(
  m: { attemptCount: number },
  receipt: Receipt,
  now: Date,
): { next: AfterReceipt; attempt: AttemptEntry; event: "delivered" | "receipt_rejected"; error: string | null; system: "delivered" } {
  const at = now.toISOString();
  const error = receiptError(receipt);
  const accepted = !isRefusal(receipt);
  const attemptNo = m.attemptCount + 1;
  return {
    next: {
      state: MESSAGE_STATE.delivered,
      deliveredAt: at,
      receiptStatus: receipt.status,
      receiptError: error,
      attemptCount: attemptNo,
      lastAttemptAt: at,
      nextAttemptAt: null,
      claimToken: null,
      claimedUntil: null,
    },
    attempt: { attemptNo, at, outcome: accepted ? "delivered" : "rejected", statusCode: null, error, durationMs: 0 },
    event: accepted ? EVENT_TYPE.delivered : EVENT_TYPE.receiptRejected,
    error,
    system: "delivered",
  };
}

/** Pull post that entered its queue (and was released) at or before this time is overdue at `now`. */
export function pullOverdueCutoff(now: Date): string {
  return new Date(now.getTime() - PULL_GRACE_MS).toISOString();
}

/** True when a waiting pull message (never failed yet, queued by the cutoff) is overdue: a held one counts from its release. */
export function isPullOverdue(m: { releaseAt: string | null }, cutoff: string): boolean {
  return m.releaseAt === null || m.releaseAt <= cutoff;
}

/**
 * Nobody receipted a waiting pull message within {@link PULL_GRACE_MS}: that is one failed attempt
 * (once: only while the message has no failure yet), which starts the system's clocks like a failed push.
 */
export function pullOverdue(
  m: { attemptCount: number; fetched: boolean },
  now: Date,
): {
  next: { firstFailedAt: string; attemptCount: number; lastAttemptAt: string };
  attempt: AttemptEntry;
  event: "attempt_failed";
  system: "failed";
} {
  const at = now.toISOString();
  const attemptNo = m.attemptCount + 1;
  const error = m.fetched ? "fetched_without_receipt" : "not_fetched";
  return {
    next: { firstFailedAt: at, attemptCount: attemptNo, lastAttemptAt: at },
    attempt: { attemptNo, at, outcome: "failed", statusCode: null, error, durationMs: 0 },
    event: EVENT_TYPE.attemptFailed,
    system: "failed",
  };
}
