// Converts a valid MeMo message between 1.1 and 1.2 by splicing its bytes: only what the other
// version's schema needs changes; prefixes, whitespace, comments and attachments stay byte for byte.
//
// What differs between the two schemas (fixtures/memo/xsd/MeMo_core.xsd and Version1.2/MeMo_core.xsd):
// - Message/@memoSchVersion is required in 1.1 and not allowed in 1.2;
// - MessageHeader/mandatory and MessageHeader/legalNotification are required in 1.1, optional in 1.2
//   (default false);
// - Sender/Representative and ForwardData/originalRepresentative exist only in 1.2.
//
// The input must be a message readMemo accepts (postvej converts only what it accepted at intake).
// Only the bytes up to the end of MessageHeader are scanned: every change lies there, so the body
// and its attachments are copied, never read.

/** A MeMo version postvej reads and delivers. */
export type MemoVersionName = "1.1" | "1.2";

/** What a conversion did: the direction and the paths of what the target version cannot hold. */
export type MemoConversion = { converted: "1.2→1.1" | "1.1→1.2"; from: MemoVersionName; to: MemoVersionName; dropped: string[] };

/** The message in the requested version, and what was done (null when it already was that version). */
export type ConvertMemoResult = { bytes: Uint8Array; conversion: MemoConversion | null };

/** Thrown for bytes that are not a MeMo 1.1/1.2 message as readMemo accepts it. */
export class MemoConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MemoConversionError";
  }
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QMARK = 0x3f;
const BANG = 0x21;
const EQ = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const COLON = 0x3a;
const DASH = 0x2d;
const RSQB = 0x5d;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const ascii = new TextDecoder("utf-8");
const encoder = new TextEncoder();

type Span = { start: number; end: number };
type Attr = { nameStart: number; valueStart: number; valueEnd: number; end: number; quote: number };
type Found = {
  version: Attr | null;
  schVersion: Attr | null;
  /** The prefix of MessageHeader's name ("" unprefixed): bound to the MeMo namespace inside it. */
  headerPrefix: string;
  mandatory: Span | null;
  legalNotification: Span | null;
  postType: Span | null;
  sender: Span | null;
  representative: Span | null;
  originalRepresentative: Span | null;
};

/** Index of `a, b` (two bytes) at or after `from`, or -1. */
function indexOf2(b: Uint8Array, a: number, c: number, from: number): number {
  for (let i = b.indexOf(a, from); i !== -1; i = b.indexOf(a, i + 1)) if (b[i + 1] === c) return i;
  return -1;
}

function fail(what: string): never {
  throw new MemoConversionError(`not a MeMo message that can be converted: ${what}`);
}

/** The local names a conversion looks for, by depth (1: under Message, 2: under MessageHeader, 3: below). */
const OTHER = 0;
const MESSAGE_HEADER = 1;
const MANDATORY = 2;
const LEGAL_NOTIFICATION = 3;
const POST_TYPE = 4;
const SENDER = 5;
const FORWARD_DATA = 6;
const REPRESENTATIVE = 7;
const ORIGINAL_REPRESENTATIVE = 8;
const NAMES_BY_DEPTH: readonly (readonly [string, number][])[] = [
  [],
  [["MessageHeader", MESSAGE_HEADER]],
  [
    ["mandatory", MANDATORY],
    ["legalNotification", LEGAL_NOTIFICATION],
    ["postType", POST_TYPE],
    ["Sender", SENDER],
    ["ForwardData", FORWARD_DATA],
  ],
  [
    ["Representative", REPRESENTATIVE],
    ["originalRepresentative", ORIGINAL_REPRESENTATIVE],
  ],
];

/** Which of the names at `depth` the local name in b[start, end) is, or OTHER. */
function nameCode(b: Uint8Array, start: number, end: number, depth: number): number {
  const names = NAMES_BY_DEPTH[depth];
  if (names === undefined) return OTHER;
  for (const [name, code] of names) if (isName(b, start, end, name)) return code;
  return OTHER;
}

/** Index just past the start tag whose attributes begin at `p` (values may hold '>', never '<'); attributes of the root are recorded. */
function tagEnd(b: Uint8Array, p: number, found: Found | null): number {
  const len = b.length;
  for (;;) {
    const before = p;
    while (p < len && isSpace(b[p]!)) p++;
    const c = b[p];
    if (c === GT) return p + 1;
    if (c === SLASH && b[p + 1] === GT) return p + 2;
    if (p >= len) fail("unterminated start tag");
    const nameStart = p;
    while (p < len && b[p] !== EQ && !isSpace(b[p]!)) p++;
    const nameEnd = p;
    while (p < len && b[p] !== DQUOTE && b[p] !== SQUOTE) p++;
    const quote = b[p]!;
    const close = b.indexOf(quote, p + 1);
    if (close === -1) fail("unterminated attribute value");
    if (found !== null) {
      const attr: Attr = { nameStart: before, valueStart: p + 1, valueEnd: close, end: close + 1, quote };
      if (isName(b, nameStart, nameEnd, "memoVersion")) found.version = attr;
      else if (isName(b, nameStart, nameEnd, "memoSchVersion")) found.schVersion = attr;
    }
    p = close + 1;
  }
}

const K_GT = 1;
const K_COLON = 2;
const K_STOP = 3;
/** Per byte: 0 inside a name, or what ends it (or a colon in it). */
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS[GT] = K_GT;
BYTE_CLASS[COLON] = K_COLON;
for (const c of [SLASH, 0x20, 0x09, 0x0a, 0x0d]) BYTE_CLASS[c] = K_STOP;

/** Scans the prolog, the root's start tag and MessageHeader; stops at MessageHeader's end tag. */
function scanHeader(b: Uint8Array): Found {
  const found: Found = {
    version: null,
    schVersion: null,
    headerPrefix: "",
    mandatory: null,
    legalNotification: null,
    postType: null,
    sender: null,
    representative: null,
    originalRepresentative: null,
  };
  const len = b.length;
  // the open elements: their name codes and start offsets
  const codes: number[] = [];
  const starts: number[] = [];
  const nameLengths: number[] = [];
  let pos = 0;
  for (;;) {
    // runs of text: a plain loop for the short ones (indentation), a native search for the rest
    let lt = pos;
    const near = pos + 12 < len ? pos + 12 : len;
    while (lt < near && b[lt] !== LT) lt++;
    if (lt === near) lt = b.indexOf(LT, lt);
    if (lt === -1) fail("MessageHeader is not closed");
    const c1 = b[lt + 1];
    if (c1 === QMARK) {
      const end = indexOf2(b, QMARK, GT, lt + 2);
      if (end === -1) fail("unterminated processing instruction");
      pos = end + 2;
      continue;
    }
    if (c1 === BANG) {
      if (b[lt + 2] === DASH && b[lt + 3] === DASH) {
        let end = indexOf2(b, DASH, DASH, lt + 4);
        while (end !== -1 && b[end + 2] !== GT) end = indexOf2(b, DASH, DASH, end + 1);
        if (end === -1) fail("unterminated comment");
        pos = end + 3;
      } else {
        // CDATA (a DOCTYPE never gets this far: readMemo refuses it)
        let end = indexOf2(b, RSQB, RSQB, lt + 9);
        while (end !== -1 && b[end + 2] !== GT) end = indexOf2(b, RSQB, RSQB, end + 1);
        if (end === -1) fail("unterminated CDATA section");
        pos = end + 3;
      }
      continue;
    }
    if (c1 === SLASH) {
      if (codes.length === 0) fail("unbalanced end tag");
      // the end tag repeats the start tag's name: skip it, then any whitespace before '>'
      let gt = lt + 2 + nameLengths.pop()!;
      while (gt < len && b[gt] !== GT) gt++;
      if (gt >= len) fail("unterminated end tag");
      const code = codes.pop()!;
      const start = starts.pop()!;
      if (code !== OTHER && closeElement(found, codes, code, start, gt + 1)) return found;
      pos = gt + 1;
      continue;
    }
    const depth = codes.length;
    // the element's name, up to '>', '/' or whitespace
    let p = lt + 1;
    let colon = -1;
    let k = 0;
    for (; p < len; p++) {
      k = BYTE_CLASS[b[p]!]!;
      if (k === 0) continue;
      if (k === K_COLON) colon = p;
      else break;
    }
    // its local part matters only down to depth 3, under MessageHeader
    const code =
      depth === 0 || depth > 3 || (depth >= 2 && codes[1] !== MESSAGE_HEADER)
        ? OTHER
        : nameCode(b, colon === -1 ? lt + 1 : colon + 1, p, depth);
    if (code === MESSAGE_HEADER) found.headerPrefix = colon === -1 ? "" : new TextDecoder().decode(b.subarray(lt + 1, colon));
    // the end of the tag: the next '>' unless a quoted value comes first
    let end: number;
    if (k === K_GT) end = p + 1;
    else if (depth === 0) end = tagEnd(b, p, found);
    else {
      let gt = p;
      let c = b[gt];
      while (gt < len && c !== GT && c !== DQUOTE && c !== SQUOTE) c = b[++gt];
      if (gt >= len) fail("unterminated start tag");
      end = c === GT ? gt + 1 : tagEnd(b, p, null);
    }
    if (b[end - 2] === SLASH) {
      if (depth === 0) fail("the root element is empty");
      if (code !== OTHER && closeElement(found, codes, code, lt, end)) return found;
    } else {
      codes.push(code);
      starts.push(lt);
      nameLengths.push(p - lt - 1);
    }
    pos = end;
  }
}

function isName(b: Uint8Array, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (b[start + i] !== name.charCodeAt(i)) return false;
  return true;
}

/** Records an element a conversion touches (`open` holds its ancestors' codes); true when MessageHeader has ended. */
function closeElement(found: Found, open: number[], code: number, start: number, end: number): boolean {
  const span: Span = { start, end };
  switch (code) {
    case MESSAGE_HEADER:
      return open.length === 1;
    case MANDATORY:
      found.mandatory = span;
      break;
    case LEGAL_NOTIFICATION:
      found.legalNotification = span;
      break;
    case POST_TYPE:
      found.postType = span;
      break;
    case SENDER:
      found.sender = span;
      break;
    case REPRESENTATIVE:
      if (open[2] === SENDER) found.representative = span;
      break;
    case ORIGINAL_REPRESENTATIVE:
      if (open[2] === FORWARD_DATA) found.originalRepresentative = span;
      break;
  }
  return false;
}

/** The attribute's value as the schema sees it: references decoded, surrounding whitespace collapsed. */
function attributeValue(b: Uint8Array, a: Attr): string {
  return ascii
    .decode(b.subarray(a.valueStart, a.valueEnd))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(Math.min(Number.parseInt(h, 16), 0x10ffff)))
    .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(Math.min(Number.parseInt(d, 10), 0x10ffff)))
    .replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
}

/** Start of the run of XML whitespace that ends at `at`. */
function spaceBefore(b: Uint8Array, at: number): number {
  let i = at;
  while (i > 0 && isSpace(b[i - 1]!)) i--;
  return i;
}

type Edit = { start: number; end: number; insert: Uint8Array | null };

function splice(b: Uint8Array, edits: Edit[]): Uint8Array {
  edits.sort((x, y) => x.start - y.start || x.end - y.end);
  let size = b.length;
  for (const e of edits) size += (e.insert?.length ?? 0) - (e.end - e.start);
  const out = new Uint8Array(size);
  let from = 0;
  let at = 0;
  for (const e of edits) {
    out.set(b.subarray(from, e.start), at);
    at += e.start - from;
    if (e.insert !== null) {
      out.set(e.insert, at);
      at += e.insert.length;
    }
    from = e.end;
  }
  out.set(b.subarray(from), at);
  return out;
}

/** The version a valid MeMo message declares (its memoVersion), read from its first bytes. */
export function memoVersionOf(bytes: Uint8Array): MemoVersionName {
  return versionOf(bytes, scanHeader(bytes));
}

function versionOf(b: Uint8Array, found: Found): MemoVersionName {
  if (found.version === null) fail("Message has no memoVersion");
  const v = attributeValue(b, found.version);
  if (v !== "1.1" && v !== "1.2") fail(`memoVersion '${v.slice(0, 20)}' is neither 1.1 nor 1.2`);
  return v;
}

/**
 * The message in MeMo version `to`. 1.2 → 1.1 sets memoVersion="1.1" and memoSchVersion="1.1.0",
 * writes mandatory and legalNotification (false, their 1.2 default) where they are missing and drops
 * Sender/Representative and ForwardData/originalRepresentative; 1.1 → 1.2 sets memoVersion="1.2" and
 * drops memoSchVersion. Nothing else changes. The same bytes come back when the version matches.
 */
export function convertMemoVersion(bytes: Uint8Array, to: MemoVersionName): ConvertMemoResult {
  const found = scanHeader(bytes);
  const from = versionOf(bytes, found);
  if (from === to) return { bytes, conversion: null };
  const v = found.version!;
  const q = String.fromCharCode(v.quote);
  const edits: Edit[] = [];
  const dropped: string[] = [];
  if (to === "1.1") {
    edits.push({ start: v.valueStart, end: v.valueEnd, insert: encoder.encode("1.1") });
    if (found.schVersion === null) edits.push({ start: v.end, end: v.end, insert: encoder.encode(` memoSchVersion=${q}1.1.0${q}`) });
    else edits.push({ start: found.schVersion.valueStart, end: found.schVersion.valueEnd, insert: encoder.encode("1.1.0") });
    const p = found.headerPrefix === "" ? "" : `${found.headerPrefix}:`;
    const element = (name: string): string => `<${p}${name}>false</${p}${name}>`;
    if (found.mandatory === null && found.legalNotification === null) {
      const anchor = found.postType ?? found.sender;
      if (anchor === null) fail("MessageHeader has no Sender");
      const ws = ascii.decode(bytes.subarray(spaceBefore(bytes, anchor.start), anchor.start));
      edits.push({
        start: anchor.start,
        end: anchor.start,
        insert: encoder.encode(`${element("mandatory")}${ws}${element("legalNotification")}${ws}`),
      });
    } else if (found.mandatory === null) {
      const anchor = found.legalNotification!;
      const ws = ascii.decode(bytes.subarray(spaceBefore(bytes, anchor.start), anchor.start));
      edits.push({ start: anchor.start, end: anchor.start, insert: encoder.encode(`${element("mandatory")}${ws}`) });
    } else if (found.legalNotification === null) {
      const anchor = found.mandatory;
      const ws = ascii.decode(bytes.subarray(spaceBefore(bytes, anchor.start), anchor.start));
      edits.push({ start: anchor.end, end: anchor.end, insert: encoder.encode(`${ws}${element("legalNotification")}`) });
    }
    if (found.representative !== null) {
      edits.push({ start: spaceBefore(bytes, found.representative.start), end: found.representative.end, insert: null });
      dropped.push("/Message/MessageHeader/Sender/Representative");
    }
    if (found.originalRepresentative !== null) {
      edits.push({ start: spaceBefore(bytes, found.originalRepresentative.start), end: found.originalRepresentative.end, insert: null });
      dropped.push("/Message/MessageHeader/ForwardData/originalRepresentative");
    }
  } else {
    edits.push({ start: v.valueStart, end: v.valueEnd, insert: encoder.encode("1.2") });
    if (found.schVersion !== null) {
      edits.push({ start: found.schVersion.nameStart, end: found.schVersion.end, insert: null });
      dropped.push("/Message/@memoSchVersion");
    }
  }
  return { bytes: splice(bytes, edits), conversion: { converted: from === "1.2" ? "1.2→1.1" : "1.1→1.2", from, to, dropped } };
}
