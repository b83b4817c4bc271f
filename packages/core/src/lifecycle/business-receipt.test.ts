import { describe, expect, it } from "vitest";
import { isSameReceipt, receiptError } from "./business-receipt.ts";

describe("business receipts", () => {
  it("records a refusal's code and message as given, and invents none", () => {
    expect(receiptError({ status: "INVALID", errorCode: "E1", errorMessage: "bad" })).toBe("E1: bad");
    expect(receiptError({ status: "NOT_ALLOWED", errorMessage: "bad" })).toBe("bad");
    expect(receiptError({ status: "INVALID" })).toBeNull();
    expect(receiptError({ status: "INVALID", errorCode: "" })).toBeNull();
    expect(receiptError({ status: "RECEIVED", errorCode: "E1" })).toBeNull();
  });

  it("is the same receipt only with the same status and the same recorded error", () => {
    const recorded = { status: "INVALID", error: "E1: bad" };
    expect(isSameReceipt(recorded, { status: "INVALID", errorCode: "E1", errorMessage: "bad" })).toBe(true);
    expect(isSameReceipt(recorded, { status: "INVALID", errorCode: "E2", errorMessage: "bad" })).toBe(false);
    expect(isSameReceipt(recorded, { status: "INVALID" })).toBe(false);
    expect(isSameReceipt({ status: "INVALID", error: null }, { status: "INVALID" })).toBe(true);
    expect(isSameReceipt({ status: "INVALID", error: null }, { status: "NOT_ALLOWED" })).toBe(false);
    expect(isSameReceipt({ status: "COMPLETED", error: null }, { status: "COMPLETED" })).toBe(true);
  });
});
