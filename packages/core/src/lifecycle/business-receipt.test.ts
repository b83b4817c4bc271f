import { describe, expect, it } from "vitest";
import { isSameReceipt, readableText, receiptError } from "./business-receipt.ts";

describe("business receipts", () => {
  it("records a refusal's code and message as given, and invents none", () => {
    expect(receiptError({ status: "INVALID", errorCode: "E1", errorMessage: "bad" })).toBe("E1: bad");
    expect(receiptError({ status: "NOT_ALLOWED", errorMessage: "bad" })).toBe("bad");
    expect(receiptError({ status: "INVALID" })).toBeNull();
    expect(receiptError({ status: "INVALID", errorCode: "" })).toBeNull();
    expect(receiptError({ status: "RECEIVED", errorCode: "E1" })).toBeNull();
  });

  it("records text a support person can read safely: no control or bidi characters, no lone surrogate, bounded", () => {
    expect(readableText("line 1\r\nline 2\u0007\u001b[2J", 100)).toBe("line 1 line 2 [2J");
    expect(readableText("\u202Eevil\u2066 \u2028x\u0085", 100)).toBe("evil   x");
    expect(readableText("a\ud800b\udc00", 100)).toBe("a\uFFFDb\uFFFD");
    expect(readableText("😀".repeat(3), 2)).toBe("😀😀");
    expect(readableText("Fejl: æøå ß 漢字", 100)).toBe("Fejl: æøå ß 漢字");
    expect(receiptError({ status: "INVALID", errorCode: "\u0000", errorMessage: "bad\ninput" })).toBe("bad input");
    expect(receiptError({ status: "INVALID", errorCode: "\t", errorMessage: " " })).toBeNull();
    expect(receiptError({ status: "INVALID", errorMessage: "y".repeat(1200) })).toBe("y".repeat(1000));
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
