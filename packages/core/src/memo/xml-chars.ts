const NAME_START =
  "A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NCNAME = `[${NAME_START}][${NAME_CHAR}]*`;
const QNAME_RE = new RegExp(`^(?:(${NCNAME}):)?(${NCNAME})$`, "u");
const NAME_RE = new RegExp(`^[:${NAME_START}][:${NAME_CHAR}]*$`, "u");

/** Characters XML 1.0 forbids anywhere in a document (surrogates cannot come out of valid UTF-8). */
export const FORBIDDEN_CHAR_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** A qualified name split into prefix ("" when none) and local part, with the local part's interned id. */
export type SplitName = { prefix: string; local: string; localId: number };

const MAX_NAMES = 10_000;
const qnameCache = new Map<string, SplitName | null>();
const nameIds = new Map<string, number>();

/**
 * A small integer for a local name, so the validator can find a child's declaration by array
 * index. Ids are handed out until the table is full (names beyond that get -1, which no schema
 * declaration has: the schema's names are interned when it is built).
 */
export function internName(local: string): number {
  let id = nameIds.get(local);
  if (id === undefined) {
    if (nameIds.size >= MAX_NAMES) return -1;
    id = nameIds.size;
    nameIds.set(local, id);
  }
  return id;
}

/** Splits a QName, or null when it is not a namespace-well-formed name. Results are cached (names repeat). */
export function splitQName(name: string): SplitName | null {
  let hit = qnameCache.get(name);
  if (hit !== undefined) return hit;
  const m = QNAME_RE.exec(name);
  hit = m ? { prefix: m[1] ?? "", local: m[2] ?? "", localId: internName(m[2] ?? "") } : null;
  if (qnameCache.size < MAX_NAMES) qnameCache.set(name, hit);
  return hit;
}

/** True for an XML Name (processing-instruction targets). */
export function isXmlName(name: string): boolean {
  return NAME_RE.test(name);
}

/** True for the four XML whitespace characters. */
export function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** True when `s[from, to)` is XML whitespace only. */
export function isBlank(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** True when code point `cp` is an XML 1.0 Char. */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}
