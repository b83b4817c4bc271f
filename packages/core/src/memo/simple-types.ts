import { isAnyUri } from "./any-uri.ts";
import type { MemoIssueCode } from "./issues.ts";
import type { SimpleTypeName } from "./schema.ts";

/** Why a value is not in its simple type's value space. */
export type SimpleTypeProblem = { code: MemoIssueCode; message: string };

const UUID_RE = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-4[a-fA-F0-9]{3}-[aAbB89][a-fA-F0-9]{3}-[a-fA-F0-9]{12}$/;
const DATE_TIME_RE = /^(-?)([0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$/;
const DATE_RE = /^(-?)([0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$/;
const LANGUAGE_RE = /^[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*$/;
const LONG_MAX = "9223372036854775807";
const LONG_MIN_ABS = "9223372036854775808";
const MAX_LENGTH: Partial<Record<SimpleTypeName, number>> = {
  text: 256,
  comment: 512,
  notification: 160,
  licenseNumber: 7,
  uri: 256,
  language: 2,
};

/** XSD whiteSpace="collapse": runs of XML whitespace become one space, leading and trailing removed. */
export function collapse(value: string): string {
  if (!/[\t\n\r ]/.test(value)) return value;
  return value.replace(/[\t\n\r ]+/g, " ").replace(/^ | $/g, "");
}

/** Number of Unicode code points (what XSD length facets count). */
export function codePointLength(value: string): number {
  let n = value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      n--;
      i++;
    }
  }
  return n;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The date part of an XSD date/dateTime is a real calendar date, read as libxml2 reads it: the
 * year is a C long (|year| ≤ 2^63 − 1), never 0, and without leading zeros beyond four digits.
 */
function validYmd(yearDigits: string, mm: string, dd: string): boolean {
  if (yearDigits.length > 4 && yearDigits.charCodeAt(0) === 0x30) return false;
  if (yearDigits.length > LONG_MAX.length || (yearDigits.length === LONG_MAX.length && yearDigits > LONG_MAX)) return false;
  if (/^0+$/.test(yearDigits)) return false;
  // leap years repeat every 400 years, so the last four digits decide (also for negative years)
  const year = Number(yearDigits.slice(-4));
  const month = Number(mm);
  const day = Number(dd);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

function validZone(tz: string | undefined): boolean {
  if (tz === undefined || tz === "Z") return true;
  const h = Number(tz.slice(1, 3));
  const m = Number(tz.slice(4, 6));
  return m <= 59 && (h < 14 || (h === 14 && m === 0));
}

/** True for an xs:dateTime lexical value (libxml2's reading: year ≠ 0, 24:00:00 allowed, zone within ±14:00). */
export function isXsdDateTime(v: string): boolean {
  const m = DATE_TIME_RE.exec(v);
  if (m === null || !validYmd(m[2]!, m[3]!, m[4]!) || !validZone(m[9])) return false;
  const h = Number(m[5]);
  const min = Number(m[6]);
  const sec = Number(m[7]);
  if (h === 24) return min === 0 && sec === 0 && (m[8] === undefined || /^\.0+$/.test(m[8]));
  return h <= 23 && min <= 59 && sec <= 59;
}

/** True for an xs:date lexical value. */
export function isXsdDate(v: string): boolean {
  const m = DATE_RE.exec(v);
  return m !== null && validYmd(m[2]!, m[3]!, m[4]!) && validZone(m[5]);
}

/** Base64 alphabet value per ASCII code, -2 for '=', -1 for anything else (skipped, as libxml2 does). */
const B64 = (() => {
  const t = new Int8Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  t[0x3d] = -2;
  return t;
})();

/** libxml2's xs:base64Binary check: characters outside the alphabet are skipped, padding must be exact. */
export function isXsdBase64(v: string): boolean {
  let data = 0;
  let pad = 0;
  let lastAt = -1;
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c >= 128) continue;
    const d = B64[c]!;
    if (d >= 0) {
      if (pad > 0) return false;
      data++;
      lastAt = i;
    } else if (d === -2) pad++;
  }
  if (pad === 0) return data % 4 === 0;
  const last = B64[v.charCodeAt(lastAt)]!;
  if (pad === 1) return data % 4 === 3 && (last & ~0x3c) === 0;
  if (pad === 2) return data % 4 === 2 && (last & ~0x30) === 0;
  return false;
}

/** xs:long (no surrounding whitespace, as libxml2 reads derived integer types) at most `max`. */
function checkLong(v: string, max: number): SimpleTypeProblem | null {
  const m = /^([+-]?)0*([0-9]+)$/.exec(v);
  if (m === null) return { code: "invalid_integer", message: `'${clip(v)}' is not an integer` };
  const digits = m[2]!;
  const negative = m[1] === "-";
  const bound = negative ? LONG_MIN_ABS : LONG_MAX;
  if (digits.length > bound.length || (digits.length === bound.length && digits > bound))
    return { code: "integer_out_of_range", message: `${clip(v)} is outside the range of xs:long` };
  if (!negative && Number(digits) > max) return { code: "integer_out_of_range", message: `${clip(v)} is greater than ${max}` };
  return null;
}

function clip(v: string): string {
  return v.length > 60 ? `${v.slice(0, 57)}…` : v;
}

/** Checks `raw` (the element's character data) against a MeMo simple type; null when valid. */
export function checkSimpleType(type: SimpleTypeName, raw: string): SimpleTypeProblem | null {
  const max = MAX_LENGTH[type];
  switch (type) {
    case "text":
    case "comment":
    case "notification":
    case "licenseNumber":
      if (raw.length > max! && codePointLength(raw) > max!)
        return { code: "too_long", message: `${codePointLength(raw)} characters; at most ${max} allowed` };
      return null;
    case "uuid":
      return UUID_RE.test(raw) ? null : { code: "invalid_uuid", message: `'${clip(raw)}' is not a version-4 UUID` };
    case "messageType":
      return raw === "DIGITALPOST" || raw === "NEMSMS"
        ? null
        : { code: "invalid_message_type", message: `'${clip(raw)}' is not DIGITALPOST or NEMSMS` };
    case "dateTime": {
      const v = collapse(raw);
      if (!isXsdDateTime(v)) return { code: "invalid_date_time", message: `'${clip(v)}' is not a date-time (YYYY-MM-DDThh:mm:ssZ)` };
      return v.endsWith("Z") ? null : { code: "date_time_not_utc", message: `'${clip(v)}' is not in UTC: it must end in Z` };
    }
    case "date":
      return isXsdDate(raw) ? null : { code: "invalid_date", message: `'${clip(raw)}' is not a date (YYYY-MM-DD)` };
    case "boolean": {
      const v = raw.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
      return v === "true" || v === "false" || v === "1" || v === "0"
        ? null
        : { code: "invalid_boolean", message: `'${clip(raw)}' is not true, false, 1 or 0` };
    }
    case "language": {
      const v = collapse(raw);
      if (!LANGUAGE_RE.test(v)) return { code: "invalid_language", message: `'${clip(v)}' is not a language code` };
      return v.length > max! ? { code: "too_long", message: `language '${clip(v)}' is longer than ${max} characters` } : null;
    }
    case "uri": {
      const v = collapse(raw);
      if (codePointLength(v) > max!) return { code: "too_long", message: `${codePointLength(v)} characters; at most ${max} allowed` };
      return isAnyUri(v) ? null : { code: "invalid_uri", message: `'${clip(v)}' is not a URI` };
    }
    case "base64":
      return isXsdBase64(raw) ? null : { code: "invalid_base64", message: "the content is not valid base64" };
    case "gln":
      return checkLong(raw, 9_999_999_999_999);
    case "pnumber":
      return checkLong(raw, 9_999_999_999);
  }
}
