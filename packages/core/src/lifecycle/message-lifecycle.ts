import { EVENT_TYPE } from "../delivery/event-types.ts";
import { nextRetryDelayMs } from "../delivery/retry-schedule.ts";
import { isRefusal, receiptError, type Receipt } from "./business-receipt.ts";

/** A message's states (api.md): held until its value date, queued at a system, delivered, in Virk, or recalled. */
export const MESSAGE_STATE = {
  held: "held",
  queued: "queued",
  delivered: "delivered",
  inVirk: "in_virk",
  recalled: "recalled",
} as const;
export type MessageState = (typeof MESSAGE_STATE)[keyof typeof MESSAGE_STATE];

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

/** Where a message waits: a push system (the scheduler sends it), a pull system (it fetches), or Virk. */
export type Custody = "push" | "pull" | "virk";

/** The columns a message takes when it enters a queue. */
export type QueueEntry = { state: "held" | "queued" | "in_virk"; queuedAt: string; nextAttemptAt: string | null };

/** What a transition asks the caller to do besides writing the columns. */
export type MessageEffects = {
  /** Events to append, in order (the caller adds their data). */
  events: readonly MessageEventType[];
  /** A push is due now: a delivery run should start. */
  push: boolean;
};

type MessageEventType = typeof EVENT_TYPE.held | typeof EVENT_TYPE.landedInVirk | typeof EVENT_TYPE.released;

/**
 * A message enters its custodian's queue at `now`: a push custodian's first attempt is due now, a
 * pull custodian's post waits for the fetch, Virk keeps it (`in_virk`). Held until `releaseAt` when
 * the value date lies ahead (it enters for real at {@link release}).
 */
export function enterQueue(to: Custody, now: Date, releaseAt: Date | null = null): QueueEntry & MessageEffects {
  if (releaseAt)
    return { state: MESSAGE_STATE.held, queuedAt: releaseAt.toISOString(), nextAttemptAt: null, events: [EVENT_TYPE.held], push: false };
  const at = now.toISOString();
  if (to === "virk")
    return { state: MESSAGE_STATE.inVirk, queuedAt: at, nextAttemptAt: null, events: [EVENT_TYPE.landedInVirk], push: false };
  return { state: MESSAGE_STATE.queued, queuedAt: at, nextAttemptAt: to === "push" ? at : null, events: [], push: to === "push" };
}

/** A held message's value date has come: it enters its queue now, with a `released` event first. */
export function release(to: Custody, now: Date): QueueEntry & MessageEffects {
  const entry = enterQueue(to, now);
  return { ...entry, events: [EVENT_TYPE.released, ...entry.events] };
}

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

/** One delivery attempt as the history keeps it. */
export type AttemptEntry = {
  attemptNo: number;
  at: string;
  outcome: "delivered" | "failed" | "rejected";
  statusCode: number | null;
  error: string | null;
  durationMs: number;
};

/** What one push did, as the push client reports it. */
export type PushResult = {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  retryAfterMs: number | null;
  durationMs: number;
  /** The business receipt a 2xx answer carried, recorded like a pull receipt (INVALID / NOT_ALLOWED: a refusal, never retried). */
  receipt?: Receipt | null | undefined;
};

/** The columns a push's outcome writes (only while the run still holds its claim). */
export type AfterPush =
  | {
      state: "delivered";
      deliveredAt: string;
      lastAttemptAt: string;
      attemptCount: number;
      nextAttemptAt: null;
      /** The business receipt the 2xx carried (null: none), as `afterReceipt` writes it. */
      receiptStatus: string | null;
      receiptError: string | null;
    }
  | { state: "queued"; lastAttemptAt: string; attemptCount: number; firstFailedAt: string; nextAttemptAt: string };

/**
 * Push attempt `attemptNo` ended at `now`: delivered, or failed with the next attempt after the
 * receiver's `Retry-After` or else the retry schedule. Its attempt row, its event and what it
 * means for the system's clocks come with it.
 */
export function afterPush(
  m: { attemptNo: number; firstFailedAt: string | null },
  r: PushResult,
  now: Date,
  random: () => number,
): { next: AfterPush; attempt: AttemptEntry; event: "delivered" | "receipt_rejected" | "attempt_failed"; system: "delivered" | "failed" } {
  const at = now.toISOString();
  const attempt: AttemptEntry = {
    attemptNo: m.attemptNo,
    at,
    outcome: r.delivered ? "delivered" : "failed",
    statusCode: r.statusCode,
    error: r.error,
    durationMs: Math.round(r.durationMs),
  };
  if (r.delivered) {
    const refused = r.receipt ? isRefusal(r.receipt) : false;
    const refusal = r.receipt ? receiptError(r.receipt) : null;
    return {
      next: {
        state: MESSAGE_STATE.delivered,
        deliveredAt: at,
        lastAttemptAt: at,
        attemptCount: m.attemptNo,
        nextAttemptAt: null,
        receiptStatus: r.receipt?.status ?? null,
        receiptError: refusal,
      },
      attempt: refused ? { ...attempt, outcome: "rejected", error: refusal } : attempt,
      event: refused ? EVENT_TYPE.receiptRejected : EVENT_TYPE.delivered,
      system: "delivered",
    };
  }
  const delay = r.retryAfterMs ?? nextRetryDelayMs(m.attemptNo, random);
  return {
    next: {
      state: MESSAGE_STATE.queued,
      lastAttemptAt: at,
      attemptCount: m.attemptNo,
      firstFailedAt: m.firstFailedAt ?? at,
      nextAttemptAt: new Date(now.getTime() + delay).toISOString(),
    },
    attempt,
    event: EVENT_TYPE.attemptFailed,
    system: "failed",
  };
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

/** The columns a recall writes: only a held message can be recalled (its sender, until the value date releases it). */
export function recall(now: Date): {
  guard: "held";
  next: { state: "recalled"; recalledAt: string; nextAttemptAt: null };
  event: "recalled";
} {
  return {
    guard: MESSAGE_STATE.held,
    next: { state: MESSAGE_STATE.recalled, recalledAt: now.toISOString(), nextAttemptAt: null },
    event: EVENT_TYPE.recalled,
  };
}

/** What {@link recall} answers. */
export type Recall = ReturnType<typeof recall>;

/**
 * How long a manual redelivery or retry-now answers what it did before instead of acting again: a
 * second call within this time (a double click, a retried request) pushes nothing twice.
 */
export const MANUAL_REPEAT_WINDOW_MS = MINUTE;

/** The most messages one retry-now makes due; the answer says whether more remain. */
export const RETRY_NOW_LIMIT = 10_000;

/** True when a manual request made at `previousAt` is still answered as it was at `now` (within {@link MANUAL_REPEAT_WINDOW_MS}). */
export function isManualRepeat(previousAt: string | null | undefined, now: Date): boolean {
  if (!previousAt) return false;
  return now.getTime() - Date.parse(previousAt) < MANUAL_REPEAT_WINDOW_MS;
}

/** What a manual redelivery or retry-now needs to know of the custodian system. */
export type CustodianSystem = { protocol: "REST_PUSH" | "REST_PULL"; state: "active" | "deactivated" };

/**
 * The message columns a redelivery writes; a column left out keeps its value. A push message is due
 * now; a pull message is back in the waiting list (its fetch lease ends). A delivered message
 * enters its system's queue afresh (queued now, no failure yet), but its attempts go on counting.
 */
export type RedeliveryColumns = {
  state: "queued";
  nextAttemptAt?: string | null;
  queuedAt?: string;
  firstFailedAt?: null;
  claimToken?: null;
  claimedUntil?: null;
};

/** Why a message cannot be redelivered: only queued and delivered post at an active system can. */
export type RedeliveryRefusal = "not_redeliverable" | "system_deactivated";

/** What {@link redeliver} answers when it can. */
export type Redelivery = {
  ok: true;
  /** The state the message must still be in when the columns are written. */
  guard: "queued" | "delivered";
  next: RedeliveryColumns;
  event: typeof EVENT_TYPE.manualRedelivery;
  /** A push is due now: a delivery run should start. */
  push: boolean;
};

/**
 * An administrator asks at `now` for a message to be delivered again to its current custodian: a
 * queued message (waiting for its next attempt) or a delivered one, at a system that is active.
 * A push already in flight is left alone (its outcome counts); anything else is refused.
 */
export function redeliver(
  m: { state: MessageState },
  system: CustodianSystem | null,
  now: Date,
): Redelivery | { ok: false; reason: RedeliveryRefusal } {
  if ((m.state !== MESSAGE_STATE.queued && m.state !== MESSAGE_STATE.delivered) || !system)
    return { ok: false, reason: "not_redeliverable" };
  if (system.state !== "active") return { ok: false, reason: "system_deactivated" };
  const at = now.toISOString();
  const push = system.protocol === "REST_PUSH";
  const base = { ok: true, guard: m.state, event: EVENT_TYPE.manualRedelivery, push } as const;
  if (m.state === MESSAGE_STATE.queued) {
    return {
      ...base,
      next: push
        ? { state: MESSAGE_STATE.queued, nextAttemptAt: at }
        : { state: MESSAGE_STATE.queued, claimToken: null, claimedUntil: null },
    };
  }
  return {
    ...base,
    next: {
      state: MESSAGE_STATE.queued,
      nextAttemptAt: push ? at : null,
      queuedAt: at,
      firstFailedAt: null,
      claimToken: null,
      claimedUntil: null,
    },
  };
}

/** What {@link retryNow} answers when it can: up to `limit` of the system's queued messages become due at `nextAttemptAt`. */
export type RetryNow = { ok: true; nextAttemptAt: string; limit: number; event: typeof EVENT_TYPE.retryNow; push: true };

/**
 * An administrator makes a push system's queued post due at `now` instead of at its back-off
 * (a vendor fixed the endpoint). Only an active push system: a pull system fetches its own post.
 * The system's clocks (day 2 / 5 / 7) are untouched: only a delivery stops them.
 */
export function retryNow(system: CustodianSystem, now: Date): RetryNow | { ok: false; reason: "system_deactivated" | "not_push_system" } {
  if (system.state !== "active") return { ok: false, reason: "system_deactivated" };
  if (system.protocol !== "REST_PUSH") return { ok: false, reason: "not_push_system" };
  return { ok: true, nextAttemptAt: now.toISOString(), limit: RETRY_NOW_LIMIT, event: EVENT_TYPE.retryNow, push: true };
}
