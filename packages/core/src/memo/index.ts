// @postvej/core/memo — MeMo 1.1/1.2 parsing and validation (web-standard APIs only).
export { readMemo, parseMemo, validateMemo } from "./read-memo.ts";
export type { ParseMemoResult, ReadMemoResult } from "./read-memo.ts";
export { MEMO_ISSUE_CODES, MEMO_ISSUE_KIND, memoIssueKind } from "./issues.ts";
export type { MemoIssue, MemoIssueCode, MemoIssueKind } from "./issues.ts";
export { DEFAULT_MEMO_LIMITS } from "./limits.ts";
export type { MemoLimits } from "./limits.ts";
export { summarizeMemo } from "./summary.ts";
export type { MemoSummary } from "./summary.ts";
export { MEMO_NS } from "./namespaces.ts";
export { parseXml } from "./xml-parser.ts";
export type { XmlAttribute, XmlDocument, XmlElement } from "./xml-types.ts";
export type {
  MemoDocument,
  MemoMessageHeader,
  MemoMessageBody,
  MemoSender,
  MemoRecipient,
  MemoRepresentative,
  MemoAttentionData,
  MemoAddress,
  MemoProductionUnit,
  MemoContactPoint,
  MemoContentData,
  MemoForwardData,
  MemoReplyData,
  MemoDocumentPart,
  MemoFile,
  MemoAction,
  MemoReservation,
} from "./model.ts";
export { convertMemoVersion, memoVersionOf, MemoConversionError } from "./convert-version.ts";
export type { ConvertMemoResult, MemoConversion, MemoVersionName } from "./convert-version.ts";
