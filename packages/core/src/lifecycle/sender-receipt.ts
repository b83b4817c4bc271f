import { EVENT_TYPE } from "../delivery/event-types.ts";
import { RETRY_DELAYS_MS, nextRetryDelayMs } from "../delivery/retry-schedule.ts";
import { readableText } from "./business-receipt.ts";
import type { Receipt } from "./business-receipt.ts";

/**
 * What a receipt back to the sender reports: the message was delivered to a recipient system (a
 * push's 2xx), landed in the authority's Virk mailbox, was relocated out of Virk to a system, was
 * recalled, or the recipient system answered with its own business receipt (a pull receipt, or a
 * push's 2xx that carried one): RECEIVED / COMPLETED (delivered) or INVALID / NOT_ALLOWED (refused).
 */
export const SENDER_RECEIPT_TYPE = {
  delivered: "delivered",
  inVirk: "in_virk",
  relocated: "relocated",
  recalled: "recalled",
  businessReceipt: "business_receipt",
} as const;
export type SenderReceiptType = (typeof SENDER_RECEIPT_TYPE)[keyof typeof SENDER_RECEIPT_TYPE];

/**
 * The message events that make a receipt, for messages a sender key sent (one receipt per event).
 * The migration 2026-12-01-030's trigger lists the same types (a migration is frozen; a db test
 * checks the two agree).
 */
export const RECEIPT_EVENT_TYPES = [
  EVENT_TYPE.delivered,
  EVENT_TYPE.receiptRejected,
  EVENT_TYPE.landedInVirk,
  EVENT_TYPE.relocated,
  EVENT_TYPE.recalled,
] as const;

/** The receipt id's prefix (`rct_` and 20 hex digits, made by the trigger); it is the push's `webhook-id`. */
export const RECEIPT_ID_PREFIX = "rct_";

/** The business receipt statuses a recipient system may answer with. */
export const BUSINESS_RECEIPT_STATUSES = ["RECEIVED", "COMPLETED", "INVALID", "NOT_ALLOWED"] as const;

/** One receipt as the sender sees it, in the feed and in a push (the JSON body, signed). */
export type SenderReceipt = {
  id: string;
  type: SenderReceiptType;
  messageUUID: string;
  /** When the outcome happened (domain time). */
  at: string;
  /** The recipient system it was delivered or relocated to, or that answered; null for in_virk and recalled. */
  recipientSystemId: string | null;
  /** The recipient system's business receipt (business_receipt only): its status and, for a refusal, its error. */
  receipt: { status: Receipt["status"]; error: string | null } | null;
  /** Why it landed in Virk (in_virk only), as the message's events say. */
  reason: string | null;
  /** The relocation that moved it (relocated only). */
  relocationId: string | null;
};

/** The stored facts a receipt is made of: its row and the event it reports. */
export type ReceiptSource = {
  id: string;
  messageUuid: string;
  at: string;
  eventType: string;
  recipientSystemId: string | null;
  eventData: Record<string, unknown>;
};

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * The receipt an event makes: a delivery that came with a business receipt (`data.receipt`), and
 * a refusal, are `business_receipt`; the other types map one to one.
 */
export function senderReceipt(s: ReceiptSource): SenderReceipt {
  const status = BUSINESS_RECEIPT_STATUSES.find((x) => x === s.eventData.receipt) ?? null;
  const type =
    s.eventType === EVENT_TYPE.receiptRejected || (s.eventType === EVENT_TYPE.delivered && status)
      ? SENDER_RECEIPT_TYPE.businessReceipt
      : s.eventType === EVENT_TYPE.landedInVirk
        ? SENDER_RECEIPT_TYPE.inVirk
        : s.eventType === EVENT_TYPE.relocated
          ? SENDER_RECEIPT_TYPE.relocated
          : s.eventType === EVENT_TYPE.recalled
            ? SENDER_RECEIPT_TYPE.recalled
            : SENDER_RECEIPT_TYPE.delivered;
  const system = type === SENDER_RECEIPT_TYPE.inVirk || type === SENDER_RECEIPT_TYPE.recalled ? null : s.recipientSystemId;
  return {
    id: s.id,
    type,
    messageUUID: s.messageUuid,
    at: s.at,
    recipientSystemId: system,
    receipt: type === SENDER_RECEIPT_TYPE.businessReceipt ? { status: status ?? "INVALID", error: text(s.eventData.error) } : null,
    reason: type === SENDER_RECEIPT_TYPE.inVirk ? text(s.eventData.reason) : null,
    relocationId: type === SENDER_RECEIPT_TYPE.relocated ? text(s.eventData.relocationId) : null,
  };
}

/** How long one receipt push may take: a sender's slow endpoint holds only the receipt job, never a delivery. */
export const RECEIPT_PUSH_TIMEOUT_MS = 5_000;

/** How many receipts one run of the receipt job claims, and pushes at once. */
export const RECEIPT_PUSH_LIMITS = { batch: 40, concurrency: 8 } as const;

/** A claimed batch's lease on the wall clock: it outlives the whole batch's pushes at their timeout, and slow writes. */
export const RECEIPT_LEASE_MS = Math.ceil(RECEIPT_PUSH_LIMITS.batch / RECEIPT_PUSH_LIMITS.concurrency) * RECEIPT_PUSH_TIMEOUT_MS + 30_000;

/**
 * How many push attempts a receipt gets: the first, then one after each delay of the delivery
 * retry schedule (30 s … 4 h). After the last it is given up (it stays in the pull feed).
 */
export const RECEIPT_PUSH_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The columns a receipt push's outcome writes. */
export type AfterReceiptPush =
  | { pushedAt: string; nextPushAt: null; pushAttempts: number; lastPushError: null; pushGaveUpAt: null }
  | { pushedAt: null; nextPushAt: string | null; pushAttempts: number; lastPushError: string; pushGaveUpAt: string | null };

/**
 * Push attempt `attemptNo` of a receipt ended at `now` (domain time): pushed on a 2xx; else the
 * next try after the delivery retry schedule's delay, until {@link RECEIPT_PUSH_ATTEMPTS} are spent.
 */
export function afterReceiptPush(
  attemptNo: number,
  r: { ok: boolean; error: string | null },
  now: Date,
  random: () => number,
): AfterReceiptPush {
  const at = now.toISOString();
  if (r.ok) return { pushedAt: at, nextPushAt: null, pushAttempts: attemptNo, lastPushError: null, pushGaveUpAt: null };
  const error = r.error ?? "failed";
  if (attemptNo >= RECEIPT_PUSH_ATTEMPTS)
    return { pushedAt: null, nextPushAt: null, pushAttempts: attemptNo, lastPushError: error, pushGaveUpAt: at };
  const next = new Date(now.getTime() + nextRetryDelayMs(attemptNo, random)).toISOString();
  return { pushedAt: null, nextPushAt: next, pushAttempts: attemptNo, lastPushError: error, pushGaveUpAt: null };
}

/** The most characters of a push receipt's errorCode, and of its errorMessage, that are kept (a longer one is cut). */
export const PUSH_RECEIPT_TEXT_MAX_CHARS = 500;

/** The longest push answer body read for a business receipt; a longer one counts as none. */
export const BUSINESS_RECEIPT_MAX_BYTES = 16 * 1024;

/**
 * The business receipt a push's 2xx answer carried (`{ "receiptStatus": …, "errorCode"?, "errorMessage"? }`),
 * or null when the body is not such an object (a 2xx without one is a plain delivery).
 */
export function parseBusinessReceipt(value: unknown): Receipt | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const status = BUSINESS_RECEIPT_STATUSES.find((s) => s === v.receiptStatus);
  if (!status) return null;
  const short = (x: unknown) => (typeof x === "string" ? readableText(x, PUSH_RECEIPT_TEXT_MAX_CHARS) || undefined : undefined);
  return { status, errorCode: short(v.errorCode), errorMessage: short(v.errorMessage) };
}
