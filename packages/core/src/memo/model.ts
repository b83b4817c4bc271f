// The typed model of a MeMo message. Keys are the element names of MeMo_core.xsd and its
// sub-schemas; an element that may repeat is always an array (empty when absent), an optional
// one is absent when the message leaves it out. Values are the text as written, except booleans
// (true/false, with the XSD default when empty) and the whitespace-collapsed date-times, URLs and
// language codes. xs:long values (P-numbers, GLNs) stay strings so no digit is lost.

/** A whole MeMo message: its version, its original bytes (delivered unchanged), header and body. */
export type MemoDocument = {
  version: "1.1" | "1.2";
  /** The 1.1 `memoSchVersion` attribute (null in 1.2). */
  memoSchVersion: string | null;
  /** The exact bytes received; postvej delivers these, never a re-serialisation. */
  bytes: Uint8Array;
  MessageHeader: MemoMessageHeader;
  MessageBody?: MemoMessageBody;
};

/** MessageHeader: what the message is, who sends it to whom, and its reply/forward data. */
export type MemoMessageHeader = {
  messageType: "DIGITALPOST" | "NEMSMS";
  messageUUID: string;
  messageID?: string;
  messageCode?: string;
  label: string;
  notification?: string;
  additionalNotification?: string;
  reply?: boolean;
  replyByDateTime?: string;
  doNotDeliverUntilDate?: string;
  mandatory?: boolean;
  legalNotification?: boolean;
  postType?: string;
  Sender: MemoSender;
  Recipient: MemoRecipient;
  ContentData?: MemoContentData;
  ForwardData?: MemoForwardData;
  ReplyData: MemoReplyData[];
};

/** MessageHeader/Sender. */
export type MemoSender = {
  senderID: string;
  idType: string;
  idTypeLabel?: string;
  label: string;
  AttentionData?: MemoAttentionData;
  ContactPoint?: MemoContactPoint;
  /** MeMo 1.2 only. */
  Representative?: MemoRepresentative;
};

/** MessageHeader/Recipient. */
export type MemoRecipient = {
  recipientID: string;
  idType: string;
  idTypeLabel?: string;
  label?: string;
  AttentionData?: MemoAttentionData;
  ContactPoint?: MemoContactPoint;
};

/** Sender/Representative (MeMo 1.2 only). */
export type MemoRepresentative = { representativeID?: string; idType?: string; idTypeLabel?: string; label?: string };

/** AttentionData of a sender or recipient. */
export type MemoAttentionData = {
  AttentionPerson?: { personID?: string; label?: string };
  ProductionUnit?: MemoProductionUnit;
  GlobalLocationNumber?: { globalLocationNumber: string; location?: string };
  EMail?: { emailAddress: string; relatedAgent?: string };
  SEnumber?: { seNumber: string; companyName?: string };
  Telephone?: { telephoneNumber: string; relatedAgent?: string };
  EID?: { eID: string; label?: string };
  ContentResponsible?: { contentResponsibleID?: string; label?: string };
  GeneratingSystem?: { generatingSystemID: string; label?: string };
  SORdata?: { sorIdentifier: string; entryName?: string };
  Address?: MemoAddress;
  UnstructuredAddress?: { unstructured: string };
};

/** grd:ProductionUnit (P-number as a string). */
export type MemoProductionUnit = { productionUnitNumber: string; productionUnitName?: string };

/** grd:Address. */
export type MemoAddress = {
  id?: string;
  addressLabel?: string;
  houseNumber?: string;
  door?: string;
  floor?: string;
  co?: string;
  zipCode?: string;
  city?: string;
  country?: string;
  AddressPoint?: { geographicEastingMeasure?: string; geographicNorthingMeasure?: string; geographicHeightMeasure?: string };
};

/** ContactPoint of a sender or recipient. */
export type MemoContactPoint = {
  contactGroup?: string;
  contactPointID: string;
  label?: string;
  ContactInfo: { label: string; value: string }[];
};

/** MessageHeader/ContentData: structured data about the matter. */
export type MemoContentData = {
  CPRdata?: { cprNumber: string; name?: string };
  CVRdata?: { cvrNumber: string; companyName?: string };
  MotorVehicle?: { licenseNumber: string; chassisNumber?: string };
  PropertyNumber?: { propertyNumber: string };
  CaseID?: { caseID: string; caseSystem: string };
  KLEdata?: { subjectKey: string; version: string; activityFacet?: string; label: string };
  FORMdata?: { taskKey: string; version: string; activityFacet?: string; label: string };
  ProductionUnit?: MemoProductionUnit;
  Education?: { educationCode: string; educationName?: string };
  Address?: MemoAddress;
  UnstructuredAddress?: { unstructured: string };
  AdditionalContentData: { contentDataType?: string; contentDataName: string; contentDataValue: string }[];
};

/** MessageHeader/ForwardData. */
export type MemoForwardData = {
  messageUUID: string;
  originalMessageDateTime: string;
  originalSender: string;
  originalContentResponsible?: string;
  /** MeMo 1.2 only. */
  originalRepresentative?: string;
  contactPointID?: string;
  comment?: string;
};

/** MessageHeader/ReplyData. */
export type MemoReplyData = {
  messageID?: string;
  messageUUID: string;
  replyUUID?: string;
  senderID?: string;
  recipientID?: string;
  caseID?: string;
  contactPointID?: string;
  generatingSystemID?: string;
  comment?: string;
  AdditionalReplyData: { label: string; value: string }[];
};

/** MessageBody: the main document, additional and technical documents. */
export type MemoMessageBody = {
  createdDateTime: string;
  MainDocument: MemoDocumentPart & { mainDocumentID?: string; Action: MemoAction[] };
  AdditionalDocument: (MemoDocumentPart & { additionalDocumentID?: string; Action: MemoAction[] })[];
  TechnicalDocument: (MemoDocumentPart & { technicalDocumentID?: string })[];
};

/** What main, additional and technical documents share: a label and one or more files. */
export type MemoDocumentPart = { label?: string; File: MemoFile[] };

/** A File of a document. */
export type MemoFile = {
  encodingFormat: string;
  filename: string;
  language: string;
  /** The base64 text as written (whitespace included); decode it only when needed. */
  content: string;
};

/** An Action of a main or additional document. */
export type MemoAction = {
  label: string;
  actionCode: string;
  startDateTime?: string;
  endDateTime?: string;
  Reservation?: MemoReservation;
  EntryPoint?: { url: string };
};

/** Action/Reservation (a calendar appointment). */
export type MemoReservation = {
  description: string;
  reservationUUID: string;
  abstract: string;
  location: string;
  startDateTime: string;
  endDateTime: string;
  organizerMail?: string;
  organizerName?: string;
};
