/** One problem found in a MeMo message: where (XPath-like), a stable code, and a plain message. */
export type MemoIssue = { path: string; code: MemoIssueCode; message: string };

/** Stable snake_case codes of every problem `readMemo` can report. */
export const MEMO_ISSUE_CODES = {
  // the bytes are not well-formed, safe XML (nothing further is read)
  malformedXml: "malformed_xml",
  invalidEncoding: "invalid_encoding",
  dtdForbidden: "dtd_forbidden",
  entityForbidden: "entity_forbidden",
  externalReferenceForbidden: "external_reference_forbidden",
  tooLarge: "too_large",
  tooDeep: "too_deep",
  // which MeMo this is
  unsupportedLayout: "unsupported_layout",
  unknownVersion: "unknown_version",
  missingSchVersion: "missing_sch_version",
  unexpectedSchVersion: "unexpected_sch_version",
  // the XSD rules
  unexpectedElement: "unexpected_element",
  elementOutOfOrder: "element_out_of_order",
  elementTooOften: "element_too_often",
  missingElement: "missing_element",
  onlyInMemo12: "only_in_1_2",
  unexpectedText: "unexpected_text",
  unexpectedAttribute: "unexpected_attribute",
  tooLong: "too_long",
  invalidUuid: "invalid_uuid",
  invalidDateTime: "invalid_date_time",
  dateTimeNotUtc: "date_time_not_utc",
  invalidDate: "invalid_date",
  invalidBoolean: "invalid_boolean",
  invalidBase64: "invalid_base64",
  invalidUri: "invalid_uri",
  invalidLanguage: "invalid_language",
  invalidMessageType: "invalid_message_type",
  invalidInteger: "invalid_integer",
  integerOutOfRange: "integer_out_of_range",
  // business rules on top of the XSD
  unsupportedSchVersion: "unsupported_sch_version",
  invalidFilename: "invalid_filename",
  urlNotHttps: "url_not_https",
  invalidCpr: "invalid_cpr",
  invalidCvr: "invalid_cvr",
  invalidDoNotDeliverUntilDate: "invalid_do_not_deliver_until_date",
} as const;
export type MemoIssueCode = (typeof MEMO_ISSUE_CODES)[keyof typeof MEMO_ISSUE_CODES];

/** What kind of rule an issue code belongs to: XML safety, the XSD (what libxml2 checks), or a business rule. */
export const MEMO_ISSUE_KIND = {
  xml: "xml",
  schema: "schema",
  business: "business",
} as const;
export type MemoIssueKind = (typeof MEMO_ISSUE_KIND)[keyof typeof MEMO_ISSUE_KIND];

const XML_CODES: ReadonlySet<MemoIssueCode> = new Set<MemoIssueCode>([
  "malformed_xml",
  "invalid_encoding",
  "dtd_forbidden",
  "entity_forbidden",
  "external_reference_forbidden",
  "too_large",
  "too_deep",
]);
const BUSINESS_CODES: ReadonlySet<MemoIssueCode> = new Set<MemoIssueCode>([
  "unsupported_sch_version",
  "invalid_filename",
  "url_not_https",
  "invalid_cpr",
  "invalid_cvr",
  "invalid_do_not_deliver_until_date",
]);

/** The kind of rule behind `code`; `schema` issues are exactly the ones libxml2's XSD validation also finds. */
export function memoIssueKind(code: MemoIssueCode): MemoIssueKind {
  if (XML_CODES.has(code)) return MEMO_ISSUE_KIND.xml;
  if (BUSINESS_CODES.has(code)) return MEMO_ISSUE_KIND.business;
  return MEMO_ISSUE_KIND.schema;
}
