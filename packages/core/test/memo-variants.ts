import { parseMemo, type XmlElement } from "../src/memo/index.ts";
import { deliberateDifferences, lexicalVariants } from "./memo-lexical-variants.ts";
import { asAuthorityPost, sampleText, utf8, SAMPLE_NAMES, type SampleName } from "./memo-samples.ts";

/**
 * One generated test message: which sample it came from and what was done to it. `deliberate` marks
 * a documented difference from libxml2: its verdict, and ours ("valid" or the first issue's code).
 */
export type Variant = { id: string; base: SampleName; what: string; xml: string; deliberate?: { libxml2Valid: boolean; ours: string } };

/** A small seeded PRNG (mulberry32) so the variants are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A version-4 UUID from `rand`. */
export function uuidV4(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = "4";
  hex[16] = "89ab"[Math.floor(rand() * 4)]!;
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    out.push(e);
    for (const c of e.children) walk(c);
  };
  for (const c of root.children) walk(c);
  return out;
}

function innerRange(s: string, e: XmlElement): [number, number] {
  const open = s.indexOf(">", e.offset) + 1;
  return [open, e.end - `</${e.qname}>`.length];
}

const LONG = (n: number, unit = "a"): string => unit.repeat(n);

/** Value mutations by element local name: [description, new text]. */
const VALUE_MUTATIONS: Readonly<Record<string, [string, string][]>> = {
  messageUUID: [
    ["v1 uuid", "8c2ea15d-61fb-1ba9-9366-42f8b194c114"],
    ["no hyphens", "8c2ea15d61fb4ba9936642f8b194c114"],
    ["leading space", " 8c2ea15d-61fb-4ba9-9366-42f8b194c114"],
    ["upper case", "8C2EA15D-61FB-4BA9-9366-42F8B194C114"],
    ["bad variant", "8c2ea15d-61fb-4ba9-c366-42f8b194c114"],
    ["empty", ""],
  ],
  reservationUUID: [
    ["v3 uuid", "8c2ea15d-61fb-3ba9-9366-42f8b194c114"],
    ["trailing newline", "8c2ea15d-61fb-4ba9-9366-42f8b194c114\n"],
  ],
  replyUUID: [["too short", "8c2ea15d-61fb-4ba9-9366-42f8b194c11"]],
  createdDateTime: [
    ["offset not Z", "2018-05-03T12:00:00+01:00"],
    ["no zone", "2018-05-03T12:00:00"],
    ["fraction Z", "2018-05-03T12:00:00.123Z"],
    ["24:00 Z", "2018-05-03T24:00:00Z"],
    ["30 February", "2018-02-30T12:00:00Z"],
    ["padded", "\n\t\t2018-05-03T12:00:00Z  "],
    ["lower-case z", "2018-05-03T12:00:00z"],
    ["date only", "2018-05-03"],
    ["seconds 60", "2018-05-03T12:00:60Z"],
    ["year 0000", "0000-05-03T12:00:00Z"],
    ["five-digit year", "12018-05-03T12:00:00Z"],
    ["space separator", "2018-05-03 12:00:00Z"],
  ],
  replyByDateTime: [
    ["zone -00:00", "2025-09-30T12:00:00-00:00"],
    ["29 Feb leap", "2024-02-29T12:00:00Z"],
    ["29 Feb non-leap", "2025-02-29T12:00:00Z"],
  ],
  originalMessageDateTime: [
    ["no seconds", "2021-03-15T12:00Z"],
    ["24:30", "2021-03-15T24:30:00Z"],
  ],
  startDateTime: [
    ["hour 25", "2018-11-09T25:00:00Z"],
    ["negative year", "-2018-11-09T12:00:00Z"],
  ],
  endDateTime: [["trailing text", "2018-12-09T12:00:00Zx"]],
  doNotDeliverUntilDate: [
    ["30 February", "2025-02-30"],
    ["with Z", "2025-09-15Z"],
    ["with offset", "2025-09-15+02:00"],
    ["padded", " 2025-09-15 "],
    ["date-time", "2025-09-15T00:00:00Z"],
    ["one-digit month", "2025-9-15"],
    ["leap day", "2024-02-29"],
    ["month 13", "2025-13-01"],
  ],
  reply: [
    ["TRUE", "TRUE"],
    ["yes", "yes"],
    ["padded true", " true\n"],
    ["1", "1"],
    ["empty (default)", ""],
    ["blank", "  "],
  ],
  mandatory: [
    ["0", "0"],
    ["empty (default)", ""],
    ["falsch", "falsch"],
  ],
  legalNotification: [
    ["empty (default)", ""],
    ["2", "2"],
  ],
  language: [
    ["three letters", "dan"],
    ["upper case", "DA"],
    ["padded", " da "],
    ["digit", "d1"],
    ["empty", ""],
    ["one letter", "d"],
    ["with region", "da-DK"],
  ],
  content: [
    ["unpadded", "VGhpcyBpcyBhIHRlc3Q"],
    ["spaced", "VGhp cyBp cyBh IHRl c3Q="],
    ["bad padding bits", "VGhpcyBpcyBhIHRlc3R="],
    ["empty", ""],
    ["double padding", "VGhpcyBpcyBhIHRlc3Q=="],
    ["stray characters", "VGhp!cyBpcyBhIHRlc3Q="],
    ["data after padding", "VGhpc=w="],
    ["line-wrapped", "VGhpcyBp\ncyBhIHRl\nc3Q="],
  ],
  url: [
    ["257 characters", `https://x.dk/${LONG(244)}`],
    ["256 characters", `https://x.dk/${LONG(243)}`],
    ["bad escape", "https://x.dk/%4"],
    ["space", "https://x.dk/a b"],
    ["two fragments", "https://x.dk/#a#b"],
    ["relative", "/spørgeskema.html"],
    ["empty", ""],
    ["port too big", "https://x.dk:99999999999/"],
    ["bracket in path", "https://x.dk/[a]"],
    ["bad scheme", "1https://x.dk"],
  ],
  notification: [
    ["160 characters", LONG(160)],
    ["161 characters", LONG(161)],
    ["160 emoji", LONG(160, "😀")],
    ["161 æ", LONG(161, "æ")],
  ],
  comment: [
    ["512 characters", LONG(512)],
    ["513 characters", LONG(513)],
  ],
  label: [
    ["256 characters", LONG(256)],
    ["257 characters", LONG(257)],
    ["256 emoji", LONG(256, "😀")],
    ["257 ø", LONG(257, "ø")],
    ["entities", "a &amp; b &lt; c &#x1F600;"],
    ["CDATA", "<![CDATA[a <b> c]]>"],
    ["child element", "<memo:b/>"],
    ["comment inside", "Kom<!-- x -->munen"],
  ],
  filename: [
    ["257 characters", `${LONG(253)}.pdf`],
    ["empty", ""],
  ],
  globalLocationNumber: [
    ["max", "9999999999999"],
    ["over max", "10000000000000"],
    ["negative", "-5"],
    ["padded", " 5798000012345 "],
    ["decimal", "5.0"],
    ["plus sign", "+5798000012345"],
    ["beyond long", "-99999999999999999999"],
  ],
  productionUnitNumber: [
    ["over max", "10000000000"],
    ["leading zeros", "0001234567890"],
    ["letters", "12a"],
  ],
  licenseNumber: [
    ["7 characters", "AB12345"],
    ["8 characters", "AB123456"],
  ],
  messageType: [
    ["LETTER", "LETTER"],
    ["NEMSMS", "NEMSMS"],
    ["lower case", "digitalpost"],
    ["padded", " DIGITALPOST"],
  ],
  senderID: [["empty", ""]],
  cprNumber: [["257 digits", LONG(257, "1")]],
};

/**
 * At least 300 variants of the four official samples, each first rewritten to authority post
 * (recipient CVR, fresh v4 messageUUID): dropped, duplicated and swapped elements, value
 * mutations, namespace and attribute changes, and variants that stay valid.
 */
export function generateVariants(seed = 2026): Variant[] {
  const rand = rng(seed);
  const out: Variant[] = [];
  const seen = new Set<string>();
  const add = (base: SampleName, what: string, xml: string, deliberate?: Variant["deliberate"]): void => {
    if (seen.has(xml)) return;
    seen.add(xml);
    out.push({ id: `v${String(out.length).padStart(4, "0")}`, base, what, xml, ...(deliberate === undefined ? {} : { deliberate }) });
  };

  for (const name of SAMPLE_NAMES) {
    const bom = name === "v1.2-full" ? "\uFEFF" : "";
    const s = asAuthorityPost(sampleText(name), uuidV4(rand));
    const parsed = parseMemo(utf8(s));
    if (!parsed.ok) throw new Error(`sample ${name} does not parse`);
    const root = parsed.xml.root;
    add(name, "as received", bom + s);
    const els = allElements(root);
    for (const e of els) {
      add(name, `drop ${e.local}@${e.offset}`, s.slice(0, e.offset) + s.slice(e.end));
      add(name, `duplicate ${e.local}@${e.offset}`, s.slice(0, e.end) + s.slice(e.offset, e.end) + s.slice(e.end));
    }
    for (const e of [root, ...els]) {
      for (let i = 0; i + 1 < e.children.length; i++) {
        const a = e.children[i]!;
        const b = e.children[i + 1]!;
        if (a.local === b.local) continue;
        add(
          name,
          `swap ${a.local} and ${b.local}`,
          s.slice(0, a.offset) + s.slice(b.offset, b.end) + s.slice(a.end, b.offset) + s.slice(a.offset, a.end) + s.slice(b.end),
        );
      }
      if (e.children.length > 0) {
        const [open] = innerRange(s, e);
        add(name, `text in ${e.local}`, `${s.slice(0, open)}x${s.slice(open)}`);
        add(name, `comment and PI in ${e.local}`, `${s.slice(0, open)}<!-- note --><?pi data?>${s.slice(open)}`);
        add(name, `unknown element in ${e.local}`, `${s.slice(0, open)}<memo:Unknown/>${s.slice(open)}`);
      }
    }
    // XML's lexical corners (memo-lexical-variants.ts)
    for (const [what, xml] of lexicalVariants(s)) add(name, what, xml);
    for (const [what, xml, libxml2Valid, ours] of deliberateDifferences(s)) add(name, what, xml, { libxml2Valid, ours });
    const done = new Set<string>();
    for (const e of els) {
      const muts = VALUE_MUTATIONS[e.local];
      if (muts === undefined || e.children.length > 0 || done.has(e.local)) continue;
      done.add(e.local);
      const [a, b] = innerRange(s, e);
      for (const [what, value] of muts) add(name, `${e.local}: ${what}`, s.slice(0, a) + value + s.slice(b));
    }
    // versions, attributes, namespaces
    const is11 = s.includes('memoVersion="1.1"');
    add(
      name,
      "memoVersion switched",
      is11 ? s.replace('memoVersion="1.1"', 'memoVersion="1.2"') : s.replace('memoVersion="1.2"', 'memoVersion="1.1"'),
    );
    add(
      name,
      "memoVersion switched with memoSchVersion fixed",
      is11
        ? s.replace('memoVersion="1.1" memoSchVersion="1.1.0"', 'memoVersion="1.2"')
        : s.replace('memoVersion="1.2"', 'memoVersion="1.1" memoSchVersion="1.1.0"'),
    );
    add(
      name,
      "memoSchVersion added/removed",
      is11 ? s.replace(' memoSchVersion="1.1.0"', "") : s.replace('memoVersion="1.2"', 'memoVersion="1.2" memoSchVersion="1.1.0"'),
    );
    add(name, "memoSchVersion other value", is11 ? s.replace('memoSchVersion="1.1.0"', 'memoSchVersion="1.1.1"') : s);
    add(name, "memoVersion removed", s.replace(/ memoVersion="1\.[12]"/, ""));
    add(name, "memoVersion padded", s.replace(/memoVersion="(1\.[12])"/, 'memoVersion=" $1 "'));
    add(name, "memoVersion not a number", s.replace(/memoVersion="1\.[12]"/, 'memoVersion="one"'));
    add(name, "extra attribute on Message", s.replace(/memoVersion=/, 'lang="da" memoVersion='));
    add(name, "xml:lang on Message", s.replace(/memoVersion=/, 'xml:lang="da" memoVersion='));
    add(name, "attribute on MessageHeader", s.replace("<memo:MessageHeader>", '<memo:MessageHeader id="h1">'));
    add(name, "xsi:nil on label", s.replace("<memo:label>", '<memo:label xsi:nil="false">'));
    add(
      name,
      "root in another namespace",
      s.replace('xmlns:memo="https://DigitalPost.dk/MeMo-1"', 'xmlns:memo="https://DigitalPost.dk/MeMo-2"'),
    );
    add(name, "prefix renamed", s.replace(/memo:/g, "dp:").replace("xmlns:memo=", "xmlns:dp="));
    add(name, "default namespace", s.replace(/<(\/?)memo:/g, "<$1").replace('xmlns:memo="', 'xmlns="'));
    add(
      name,
      "namespace declared on each element",
      s.replace(/<memo:(?!Message[ >])(\w+)>/g, '<m:$1 xmlns:m="https://DigitalPost.dk/MeMo-1">').replace(/<\/memo:(?!Message>)/g, "</m:"),
    );
    add(
      name,
      "label in the grd namespace",
      s.replace(/<memo:label>([^<]*)<\/memo:label>/, `<grd:label xmlns:grd="https://data.gov.dk/model/core/">$1</grd:label>`),
    );
    add(name, "Sender label without namespace", s.replace(/<memo:label>([^<]*)<\/memo:label>/, `<label xmlns="">$1</label>`));
    add(name, "CRLF line ends", s.replace(/\n/g, "\r\n"));
    add(name, "no XML declaration", s.replace(/^<\?xml[^>]*\?>\s*/, ""));
    add(name, "comment before root", s.replace(/\?>\s*/, "?>\n<!-- hello -->\n"));
    add(name, "PI after root", `${s}\n<?done yes?>\n`);
    add(
      name,
      "standalone declaration, lower-case encoding",
      s.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="utf-8" standalone="yes"?>'),
    );
    add(name, "BOM without XML declaration", `\uFEFF${s.replace(/^<\?xml[^>]*\?>\s*/, "")}`);
    add(name, "character reference space in a container", s.replace("<memo:MessageHeader>", "<memo:MessageHeader>&#32;"));
    add(name, "character reference newline in a container", s.replace("<memo:MessageHeader>", "<memo:MessageHeader>&#10;"));
    add(name, "blank CDATA in a container", s.replace("<memo:MessageHeader>", "<memo:MessageHeader><![CDATA[ ]]>"));
    add(name, "empty CDATA in a container", s.replace("<memo:MessageHeader>", "<memo:MessageHeader><![CDATA[]]>"));
    add(name, "text CDATA in a container", s.replace("<memo:MessageHeader>", "<memo:MessageHeader><![CDATA[x]]>"));
    add(
      name,
      "xsi:schemaLocation on Message",
      s.replace(/memoVersion=/, 'xsi:schemaLocation="https://DigitalPost.dk/MeMo-1 MeMo_core.xsd" memoVersion='),
    );
    add(name, "xsi:noNamespaceSchemaLocation on Message", s.replace(/memoVersion=/, 'xsi:noNamespaceSchemaLocation="x.xsd" memoVersion='));
    add(name, "xsi:type on label", s.replace("<memo:label>", '<memo:label xsi:type="xsd:string">'));
    add(name, "xml:lang on label", s.replace("<memo:label>", '<memo:label xml:lang="da">'));
    add(name, "foreign attribute on label", s.replace("<memo:label>", '<memo:label xmlns:f="urn:f" f:x="1">'));
    add(name, "self-closing label", s.replace(/<memo:label>[^<]*<\/memo:label>/, "<memo:label/>"));
    add(
      name,
      "uuid written with character references",
      s.replace(/(<memo:MessageHeader>[\s\S]*?<memo:messageUUID>)([0-9a-fA-F])/, "$1&#x$2;"),
    );
    add(name, "uuid with a tab", s.replace(/(<memo:MessageHeader>[\s\S]*?<memo:messageUUID>)([0-9a-fA-F-]{36})/, "$1$2\t"));
    add(
      name,
      "label from CDATA and entities",
      s.replace(/<memo:label>[^<]*<\/memo:label>/, "<memo:label>A<![CDATA[&]]>&amp;B</memo:label>"),
    );
    add(name, "XML 1.1 declaration", s.replace(/^<\?xml version="1.0"/, '<?xml version="1.1"'));
    add(name, "empty mandatory (self-closing)", s.replace(/<memo:mandatory>[^<]*<\/memo:mandatory>/, "<memo:mandatory/>"));
    add(
      name,
      "mandatory holding only a comment",
      s.replace(/<memo:mandatory>[^<]*<\/memo:mandatory>/, "<memo:mandatory><!-- x --></memo:mandatory>"),
    );
    add(
      name,
      "mandatory holding blank CDATA",
      s.replace(/<memo:mandatory>[^<]*<\/memo:mandatory>/, "<memo:mandatory><![CDATA[]]></memo:mandatory>"),
    );
    add(name, "createdDateTime split by a comment", s.replace(/<memo:createdDateTime>(\d{4})/, "<memo:createdDateTime>$1<!-- c -->"));
    add(
      name,
      "an element of another namespace prefixing a memo element",
      s.replace("<memo:MessageHeader>", '<x:MessageHeader xmlns:x="urn:x">').replace("</memo:MessageHeader>", "</x:MessageHeader>"),
    );
    const action = /<memo:Action>[\s\S]*?<\/memo:Action>/.exec(s)?.[0];
    if (action !== undefined && action.includes("<memo:EntryPoint>")) {
      add(
        name,
        "Action with EntryPoint and Reservation",
        s.replace(
          action,
          action.replace(
            "</memo:EntryPoint>",
            "</memo:EntryPoint><memo:Reservation><memo:description>d</memo:description><memo:reservationUUID>8C2EA15D-61FB-4BA9-9366-42F8B194D241</memo:reservationUUID><memo:abstract>a</memo:abstract><memo:location>l</memo:location><memo:startDateTime>2018-11-10T09:00:00Z</memo:startDateTime><memo:endDateTime>2018-11-10T12:00:00Z</memo:endDateTime></memo:Reservation>",
          ),
        ),
      );
      add(
        name,
        "Action with only label and actionCode",
        s.replace(action, action.replace(/<memo:startDateTime>[\s\S]*<\/memo:EntryPoint>/, "")),
      );
      add(name, "Action with EntryPoint only", s.replace(action, action.replace(/<memo:startDateTime>[\s\S]*?(?=<memo:EntryPoint>)/, "")));
      add(name, "Action with two EntryPoints", s.replace(action, action.replace(/(<memo:EntryPoint>[\s\S]*?<\/memo:EntryPoint>)/, "$1$1")));
    }
    const acd = /<memo:AdditionalContentData>[\s\S]*?<\/memo:AdditionalContentData>/.exec(s)?.[0];
    if (acd !== undefined) {
      const others = (s.match(/<memo:AdditionalContentData>/g) ?? []).length;
      add(name, "AdditionalContentData 10 times", s.replace(acd, acd.repeat(10 - others + 1)));
      add(name, "AdditionalContentData 11 times", s.replace(acd, acd.repeat(11 - others + 1)));
    }
    if (s.includes("</memo:MessageBody>")) {
      const doc =
        "<memo:TechnicalDocument><memo:File><memo:encodingFormat>text/plain</memo:encodingFormat><memo:filename>a.txt</memo:filename><memo:language>da</memo:language><memo:content>YQ==</memo:content></memo:File></memo:TechnicalDocument>";
      add(name, "many TechnicalDocuments", s.replace("</memo:MessageBody>", `${doc.repeat(50)}</memo:MessageBody>`));
      add(
        name,
        "TechnicalDocument with an Action",
        s.replace(
          "</memo:MessageBody>",
          `${doc.replace("</memo:File>", "</memo:File><memo:Action><memo:label>l</memo:label><memo:actionCode>c</memo:actionCode></memo:Action>")}</memo:MessageBody>`,
        ),
      );
    }
  }
  return out;
}
