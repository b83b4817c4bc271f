import { describe, expect, it } from "vitest";
import { RETRY_DELAYS_MS } from "../delivery/retry-schedule.ts";
import { afterPush } from "./push-outcome.ts";
import { afterReceiptPush, parseBusinessReceipt, RECEIPT_PUSH_ATTEMPTS, senderReceipt } from "./sender-receipt.ts";

const at = "2026-11-27T09:00:00.000Z";
const source = (eventType: string, eventData: Record<string, unknown> = {}) => ({
  id: "rct_1",
  messageUuid: "u",
  at,
  eventType,
  recipientSystemId: "rs_a",
  eventData,
});

describe("a receipt back to the sender", () => {
  it("reports each outcome as its type, a business receipt with its status and error", () => {
    expect(senderReceipt(source("delivered"))).toMatchObject({ type: "delivered", recipientSystemId: "rs_a", receipt: null });
    expect(senderReceipt(source("delivered", { receipt: "COMPLETED" }))).toMatchObject({
      type: "business_receipt",
      receipt: { status: "COMPLETED", error: null },
    });
    expect(senderReceipt(source("receipt_rejected", { receipt: "NOT_ALLOWED", error: "E: no" }))).toMatchObject({
      type: "business_receipt",
      receipt: { status: "NOT_ALLOWED", error: "E: no" },
    });
    expect(senderReceipt(source("landed_in_virk", { reason: "no_primary" }))).toMatchObject({
      type: "in_virk",
      recipientSystemId: null,
      reason: "no_primary",
    });
    expect(senderReceipt(source("relocated", { relocationId: "rel_1" }))).toMatchObject({ type: "relocated", relocationId: "rel_1" });
    expect(senderReceipt(source("recalled"))).toMatchObject({ type: "recalled", recipientSystemId: null });
  });

  it("is pushed again on the delivery schedule, and given up after its last try", () => {
    const now = new Date(at);
    expect(afterReceiptPush(1, { ok: true, error: null }, now, () => 0.5)).toMatchObject({ pushedAt: at, nextPushAt: null });
    for (let n = 1; n < RECEIPT_PUSH_ATTEMPTS; n++) {
      const next = afterReceiptPush(n, { ok: false, error: "http_500" }, now, () => 0.5);
      expect(Date.parse(next.nextPushAt!) - now.getTime()).toBe(RETRY_DELAYS_MS[n - 1]);
      expect(next.pushGaveUpAt).toBeNull();
    }
    expect(afterReceiptPush(RECEIPT_PUSH_ATTEMPTS, { ok: false, error: "timeout" }, now, () => 0.5)).toMatchObject({
      nextPushAt: null,
      pushGaveUpAt: at,
      lastPushError: "timeout",
    });
  });

  it("reads a push answer's business receipt, and nothing else as one", () => {
    expect(parseBusinessReceipt({ receiptStatus: "INVALID", errorCode: "E1", errorMessage: "bad" })).toEqual({
      status: "INVALID",
      errorCode: "E1",
      errorMessage: "bad",
    });
    for (const v of [null, "RECEIVED", [], {}, { receiptStatus: "received" }, { status: "RECEIVED" }])
      expect(parseBusinessReceipt(v)).toBeNull();
  });

  it("keeps at most 500 readable characters of a push receipt's code and message, never half a surrogate pair", () => {
    const r = parseBusinessReceipt({ receiptStatus: "INVALID", errorCode: "\u0000\u001b[31mE1\n", errorMessage: "x".repeat(499) + "😀😀" });
    expect(r?.errorCode).toBe("[31mE1");
    expect(Array.from(r?.errorMessage ?? "")).toHaveLength(500);
    expect(r?.errorMessage?.endsWith("x😀")).toBe(true);
    expect(parseBusinessReceipt({ receiptStatus: "INVALID", errorCode: "\r\n\t", errorMessage: 42 })).toEqual({
      status: "INVALID",
      errorCode: undefined,
      errorMessage: undefined,
    });
  });

  it("a push's 2xx with a refusal is delivered, rejected and never retried", () => {
    const r = afterPush(
      { attemptNo: 1, firstFailedAt: null },
      { delivered: true, statusCode: 200, error: null, retryAfterMs: null, durationMs: 3, receipt: { status: "INVALID", errorCode: "E1" } },
      new Date(at),
      () => 0.5,
    );
    expect(r).toMatchObject({
      next: { state: "delivered", receiptStatus: "INVALID", receiptError: "E1", nextAttemptAt: null },
      attempt: { outcome: "rejected", error: "E1" },
      event: "receipt_rejected",
      system: "delivered",
    });
  });
});
