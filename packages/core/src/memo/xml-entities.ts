import { isXmlChar } from "./xml-chars.ts";

/** A Map, not an object literal: `&constructor;` must not find Object.prototype.constructor. */
const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);
/** Longest entity name looked for before '&' counts as unterminated ("quot" and "apos" have 4 letters). */
const MAX_ENTITY_NAME = 64;
/** Any code point above this is out of range; digits keep the value saturated here, so no overflow. */
const BEYOND = 0x110000;

/** Thrown inside the parser for a reference that is not allowed; the parser turns it into an issue. */
export class XmlReferenceError extends Error {
  override name = "XmlReferenceError";
  readonly at: number;
  constructor(message: string, at: number) {
    super(message);
    this.at = at;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** The reference as written, shortened for a message (a reference may have any number of digits). */
function shown(raw: string, amp: number, end: number): string {
  return end - amp <= 24 ? raw.slice(amp, end) : `${raw.slice(amp, amp + 12)}…${raw.slice(end - 8, end)}`;
}

/**
 * Reads the numeric character reference at `amp` (`&#…;` or `&#x…;`) and returns the index after
 * its ';' with the code point in `out[0]`. XML allows any number of digits, leading zeros included
 * (libxml2 too), so the digits are read in one pass without slicing and the value saturates just
 * above U+10FFFF: time is linear in the reference's length and memory constant, whatever it is.
 */
function charRef(raw: string, amp: number, base: number, out: number[]): number {
  const hex = raw.charCodeAt(amp + 2) === 0x78;
  let p = amp + (hex ? 3 : 2);
  const first = p;
  let cp = 0;
  for (; p < raw.length; p++) {
    const c = raw.charCodeAt(p);
    const d = hex ? hexValue(c) : c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
    if (d < 0) break;
    cp = Math.min(cp * (hex ? 16 : 10) + d, BEYOND);
  }
  if (p === first || raw.charCodeAt(p) !== 0x3b) {
    throw new XmlReferenceError(
      `malformed character reference ${shown(raw, amp, Math.min(p + 1, raw.length))} (expected ${hex ? "hexadecimal" : "decimal"} digits and ';')`,
      base + amp,
    );
  }
  if (cp >= BEYOND)
    throw new XmlReferenceError(
      `character reference ${shown(raw, amp, p + 1)} is beyond U+10FFFF, the last Unicode code point`,
      base + amp,
    );
  if (!isXmlChar(cp))
    throw new XmlReferenceError(
      `character reference ${shown(raw, amp, p + 1)} (U+${cp.toString(16).toUpperCase().padStart(4, "0")}) is not a legal XML character`,
      base + amp,
    );
  out[0] = cp;
  return p + 1;
}

/**
 * Replaces the five predefined entities and numeric character references in `raw` (which starts
 * at `base` in the source). Any other entity reference is refused: no DTD declares one.
 */
export function decodeReferences(raw: string, base: number): string {
  let out = "";
  let last = 0;
  let amp = raw.indexOf("&");
  const cp = [0];
  while (amp !== -1) {
    let rep: string;
    let next: number;
    if (raw.charCodeAt(amp + 1) === 0x23) {
      next = charRef(raw, amp, base, cp);
      rep = String.fromCodePoint(cp[0]!);
    } else {
      const semi = raw.indexOf(";", amp + 1);
      if (semi === -1 || semi - amp > MAX_ENTITY_NAME)
        throw new XmlReferenceError("'&' must start an entity or character reference ending in ';'", base + amp);
      const name = raw.slice(amp + 1, semi);
      const known = PREDEFINED.get(name);
      if (known === undefined)
        throw new XmlReferenceError(
          `entity '${name.slice(0, 40)}' is not defined (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)`,
          base + amp,
        );
      rep = known;
      next = semi + 1;
    }
    out += raw.slice(last, amp) + rep;
    last = next;
    amp = raw.indexOf("&", last);
  }
  return last === 0 ? raw : out + raw.slice(last);
}
