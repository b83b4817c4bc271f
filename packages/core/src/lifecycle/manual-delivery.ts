import { EVENT_TYPE } from "../delivery/event-types.ts";
import { MESSAGE_STATE, type MessageState } from "./message-state.ts";

const MINUTE = 60_000;

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
