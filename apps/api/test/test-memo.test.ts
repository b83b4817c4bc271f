import { readMemo } from "@postvej/core/memo";
import { describe, expect, it } from "vitest";
import { testMemo } from "../src/delivery/test-delivery.ts";

describe("the test letter postvej sends (test deliveries, demo post)", () => {
  it.each([{}, { contactPointId: "6f1c1a9e-2b47-4c4e-9a7e-0d3c2f1b5a01", label: "Demobrev 1 af 5", senderCvr: "12345674" }])(
    "is a valid MeMo %#",
    (opts) => {
      const uuid = crypto.randomUUID();
      const r = readMemo(new TextEncoder().encode(testMemo(uuid, "34051178", new Date("2026-11-27T10:00:00.123Z"), opts)));
      expect(r.ok ? [] : r.issues).toEqual([]);
      if (r.ok)
        expect(r.summary).toMatchObject({
          messageUUID: uuid,
          recipientId: "34051178",
          recipientIdType: "CVR",
          contactPointId: opts.contactPointId ?? null,
        });
    },
  );
});
