/** A problem with a submitted message, pointing into its document. */
export type IntakeIssue = { path: string; code: string; message: string };

/** The parts of a read MeMo message that postvej's own intake rules look at. */
export type IntakeHeader = {
  messageUUID: string;
  messageType: string;
  recipientIdType: string;
  recipientId: string;
  contactPointId: string | null;
  attachmentCount: number;
};

const HEADER = "/Message/MessageHeader";

/** The `?memo-message-uuid=` parameter must match the header; NEMSMS (an SMS to a citizen) is not post for an authority. */
export function headerIssues(memo: IntakeHeader, queryUuid: string | undefined): IntakeIssue[] {
  const issues: IntakeIssue[] = [];
  if (queryUuid !== undefined && queryUuid.toLowerCase() !== memo.messageUUID) {
    issues.push({
      path: `${HEADER}/messageUUID`,
      code: "message_uuid_mismatch",
      message: `the memo-message-uuid parameter ${queryUuid} differs from the header's messageUUID ${memo.messageUUID}`,
    });
  }
  if (memo.messageType === "NEMSMS") {
    issues.push({
      path: `${HEADER}/messageType`,
      code: "nemsms_not_allowed",
      message: "NEMSMS is an SMS to a citizen; postvej receives post for authorities only",
    });
  }
  return issues;
}

/** The recipient must be addressed by CVR; a sender key acts for one authority, so the header must name that one. */
export function recipientIssue(memo: IntakeHeader): IntakeIssue | null {
  if (memo.recipientIdType === "CVR") return null;
  return {
    path: `${HEADER}/Recipient/idType`,
    code: "recipient_not_authority",
    message: `the recipient is a ${memo.recipientIdType} number; postvej receives post for authorities, addressed by CVR`,
  };
}

/** The recipient CVR is not an authority connected to postvej for this key (another authority looks exactly like an unknown one). */
export function unknownAuthorityIssue(memo: IntakeHeader): IntakeIssue {
  return {
    path: `${HEADER}/Recipient/recipientID`,
    code: "unknown_authority",
    message: `no authority with CVR ${memo.recipientId} is connected to postvej for this key`,
  };
}

/** A contact point's optional limits on size (MB) and number of files. */
export type ContactPointLimits = { maxSizeMb: number | null; maxAttachments: number | null };

/** A message larger than the addressed contact point allows, or with more files, is refused. */
export function contactPointLimitIssues(limits: ContactPointLimits | null, sizeBytes: number, memo: IntakeHeader): IntakeIssue[] {
  if (!limits) return [];
  const issues: IntakeIssue[] = [];
  const path = `${HEADER}/Recipient/ContactPoint/contactPointID`;
  if (limits.maxSizeMb !== null && sizeBytes > limits.maxSizeMb * 1024 * 1024) {
    issues.push({
      path,
      code: "too_large_for_contact_point",
      message: `the message is ${(sizeBytes / 1048576).toFixed(2)} MB; contact point ${memo.contactPointId} accepts at most ${limits.maxSizeMb} MB`,
    });
  }
  if (limits.maxAttachments !== null && memo.attachmentCount > limits.maxAttachments) {
    issues.push({
      path,
      code: "too_many_attachments",
      message: `the message has ${memo.attachmentCount} files; contact point ${memo.contactPointId} accepts at most ${limits.maxAttachments}`,
    });
  }
  return issues;
}
