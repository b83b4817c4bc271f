/** An attribute after namespace resolution (namespace declarations are not kept). */
export type XmlAttribute = { ns: string; local: string; qname: string; value: string };

/** An element of the parsed tree, with namespace-resolved names and its direct character data. */
export type XmlElement = {
  ns: string;
  local: string;
  /** Interned id of `local` (see `internName`); -1 when the name table is full. */
  localId: number;
  qname: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** Decoded character data (text and CDATA) before the first child element; "" once children appear. */
  text: string;
  /** True when any direct character data is not XML whitespace, or there is a CDATA section (even an empty one). */
  hasText: boolean;
  parent: XmlElement | null;
  /** Position of this element in `parent.children`. */
  position: number;
  /** Offset of the start tag in the decoded source, for line numbers in messages. */
  offset: number;
  /** Offset just past the end tag (or the `/>`) in the decoded source. */
  end: number;
};

/** A parsed, well-formed XML document and the exact bytes it came from. */
export type XmlDocument = { root: XmlElement; source: string; bytes: Uint8Array };
