/** A recipient system's business receipt (a pull receipt, or one carried by a push's 2xx). */
export type Receipt = {
  status: "RECEIVED" | "COMPLETED" | "INVALID" | "NOT_ALLOWED";
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
};

/** True for INVALID and NOT_ALLOWED: the system refuses the message (it is done, never offered again). */
export function isRefusal(receipt: Receipt): boolean {
  return receipt.status === "INVALID" || receipt.status === "NOT_ALLOWED";
}

/** The most characters of a receipt's errorCode, and of its errorMessage, that are recorded. */
export const RECEIPT_TEXT_MAX_CHARS = 1000;

/** Runs of control characters, line and paragraph separators and bidirectional controls: each run is recorded as one space. */
const UNREADABLE = /[\p{Cc}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]+/gu;

/**
 * A recipient system's text as a support person can read it safely in a panel, a log line or an
 * e-mail: each run of control characters (newlines and escapes included), separators and bidi
 * controls becomes one space, a lone surrogate U+FFFD, the ends are trimmed, and at most `max`
 * characters (code points: a pair is never split) are kept.
 */
export function readableText(text: string, max: number): string {
  const clean = text.toWellFormed().replace(UNREADABLE, " ").trim();
  const chars = Array.from(clean);
  return chars.length > max ? chars.slice(0, max).join("").trimEnd() : clean;
}

/**
 * The error a refusal records: "code: message", either alone, each as {@link readableText}, or null
 * when the system gave neither (nothing is made up in its place). An accepting receipt records none.
 */
export function receiptError(receipt: Receipt): string | null {
  if (!isRefusal(receipt)) return null;
  const parts = [receipt.errorCode, receipt.errorMessage].map((x) => readableText(x ?? "", RECEIPT_TEXT_MAX_CHARS));
  return parts.filter(Boolean).join(": ") || null;
}

/** True when `receipt` is the one recorded already (its status and the error it records): a replay, answered as before; any other is a conflict. */
export function isSameReceipt(recorded: { status: string | null; error: string | null }, receipt: Receipt): boolean {
  return recorded.status === receipt.status && recorded.error === receiptError(receipt);
}
