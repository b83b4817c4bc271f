import { EVENT_TYPE } from "../delivery/event-types.ts";
import { nextRetryDelayMs } from "../delivery/retry-schedule.ts";
import { isRefusal, receiptError, type Receipt } from "./business-receipt.ts";
import { MESSAGE_STATE } from "./message-state.ts";

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
