import { describe, expect, it } from "vitest";
import { relocationReceiptDue } from "./relocation-receipt-rule.ts";

describe("the move receipt", () => {
  it("goes out for a relocation that moved post, and not for one that moved none", () => {
    expect(relocationReceiptDue({ moved: 1 })).toBe(true);
    expect(relocationReceiptDue({ moved: 520 })).toBe(true);
    expect(relocationReceiptDue({ moved: 0 })).toBe(false);
  });
});
