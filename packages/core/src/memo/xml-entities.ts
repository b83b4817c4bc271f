import { isXmlChar } from "./xml-chars.ts";

const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Thrown inside the parser for a reference that is not allowed; the parser turns it into an issue. */
export class XmlReferenceError extends Error {
  override name = "XmlReferenceError";
  readonly at: number;
  constructor(message: string, at: number) {
    super(message);
    this.at = at;
  }
}

/**
 * Replaces the five predefined entities and numeric character references in `raw` (which starts
 * at `base` in the source). Any other entity reference is refused: no DTD declares one.
 */
export function decodeReferences(raw: string, base: number): string {
  let out = "";
  let last = 0;
  let amp = raw.indexOf("&");
  while (amp !== -1) {
    const semi = raw.indexOf(";", amp + 1);
    if (semi === -1 || semi - amp > 12) throw new XmlReferenceError("'&' must start an entity or character reference ending in ';'", base + amp);
    const name = raw.slice(amp + 1, semi);
    let rep: string | undefined;
    if (name.charCodeAt(0) === 0x23) {
      const hex = name.charCodeAt(1) === 0x78;
      const digits = name.slice(hex ? 2 : 1);
      if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) throw new XmlReferenceError(`malformed character reference &${name};`, base + amp);
      const cp = Number.parseInt(digits, hex ? 16 : 10);
      if (!isXmlChar(cp)) throw new XmlReferenceError(`character reference &${name}; is not a legal XML character`, base + amp);
      rep = String.fromCodePoint(cp);
    } else {
      rep = PREDEFINED[name];
      if (rep === undefined) throw new XmlReferenceError(`entity '${name}' is not defined (only &lt; &gt; &amp; &quot; &apos; and character references are allowed)`, base + amp);
    }
    out += raw.slice(last, amp) + rep;
    last = semi + 1;
    amp = raw.indexOf("&", last);
  }
  return last === 0 ? raw : out + raw.slice(last);
}
