import { describe, expect, it } from "vitest";
import { contactPointLimitIssues, headerIssues, recipientIssue, unknownAuthorityIssue, type IntakeHeader } from "./intake-rules.ts";

const memo: IntakeHeader = {
  messageUUID: "7f2c6a0e-3b1d-4c5e-9a8f-1d2e3f4a5b6c",
  messageType: "DIGITALPOST",
  recipientIdType: "CVR",
  recipientId: "29189846",
  contactPointId: "cp",
  attachmentCount: 3,
};

describe("postvej's own intake rules", () => {
  it("the uuid parameter must match (in any case) and NEMSMS is refused", () => {
    expect(headerIssues(memo, memo.messageUUID.toUpperCase())).toEqual([]);
    expect(headerIssues({ ...memo, messageType: "NEMSMS" }, "other").map((i) => i.code)).toEqual([
      "message_uuid_mismatch",
      "nemsms_not_allowed",
    ]);
  });
  it("the recipient is an authority addressed by CVR", () => {
    expect(recipientIssue(memo)).toBeNull();
    expect(recipientIssue({ ...memo, recipientIdType: "CPR" })?.code).toBe("recipient_not_authority");
    expect(unknownAuthorityIssue(memo).message).toContain("29189846");
  });
  it("the contact point's limits on size and files", () => {
    expect(contactPointLimitIssues(null, 10 ** 9, memo)).toEqual([]);
    expect(contactPointLimitIssues({ maxSizeMb: 1, maxAttachments: 2 }, 2 * 1048576, memo).map((i) => i.code)).toEqual([
      "too_large_for_contact_point",
      "too_many_attachments",
    ]);
    expect(contactPointLimitIssues({ maxSizeMb: 1, maxAttachments: 3 }, 1048576, memo)).toEqual([]);
  });
});
