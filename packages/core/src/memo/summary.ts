import type { MemoDocument } from "./model.ts";

/** The facts intake and routing need from a valid MeMo message. */
export type MemoSummary = {
  version: "1.1" | "1.2";
  /** MessageHeader/messageUUID, lower-cased. */
  messageUUID: string;
  messageType: string;
  label: string | null;
  senderId: string;
  senderIdType: string;
  senderLabel: string | null;
  recipientId: string;
  recipientIdType: string;
  /** MessageHeader/Recipient/ContactPoint/contactPointID, lower-cased. */
  contactPointId: string | null;
  /** YYYY-MM-DD as written. */
  doNotDeliverUntilDate: string | null;
  /** File elements in MainDocument, AdditionalDocument and TechnicalDocument together. */
  attachmentCount: number;
};

/** Summarises a parsed and validated MeMo message. */
export function summarizeMemo(memo: MemoDocument): MemoSummary {
  const h = memo.MessageHeader;
  const body = memo.MessageBody;
  let attachmentCount = 0;
  if (body !== undefined) {
    attachmentCount += body.MainDocument.File.length;
    for (const d of body.AdditionalDocument) attachmentCount += d.File.length;
    for (const d of body.TechnicalDocument) attachmentCount += d.File.length;
  }
  return {
    version: memo.version,
    messageUUID: h.messageUUID.toLowerCase(),
    messageType: h.messageType,
    label: h.label,
    senderId: h.Sender.senderID,
    senderIdType: h.Sender.idType,
    senderLabel: h.Sender.label,
    recipientId: h.Recipient.recipientID,
    recipientIdType: h.Recipient.idType,
    contactPointId: h.Recipient.ContactPoint?.contactPointID.toLowerCase() ?? null,
    doNotDeliverUntilDate: h.doNotDeliverUntilDate ?? null,
    attachmentCount,
  };
}
