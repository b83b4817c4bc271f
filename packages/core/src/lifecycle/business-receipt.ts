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

/**
 * The error a refusal records: "code: message", either alone, or null when the system gave neither
 * (nothing is made up in its place). An accepting receipt records none.
 */
export function receiptError(receipt: Receipt): string | null {
  if (!isRefusal(receipt)) return null;
  return [receipt.errorCode, receipt.errorMessage].filter(Boolean).join(": ") || null;
}

/** True when `receipt` is the one recorded already (its status and the error it records): a replay, answered as before; any other is a conflict. */
export function isSameReceipt(recorded: { status: string | null; error: string | null }, receipt: Receipt): boolean {
  return recorded.status === receipt.status && recorded.error === receiptError(receipt);
}
