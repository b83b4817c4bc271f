import { describe, expect, it } from "vitest";
import { DEFAULT_MEMO_LIMITS } from "./limits.ts";
import { parseXml } from "./xml-parser.ts";

const parse = (s: string) => parseXml(s, DEFAULT_MEMO_LIMITS);

describe("parseXml", () => {
  it("resolves prefixes, default namespaces and undeclarations", () => {
    const r = parse(`<a xmlns="urn:x" xmlns:p="urn:p"><p:b q="1" p:r="2"/><c xmlns=""/></a>`);
    if (!r.ok) throw new Error(r.issues[0]?.message);
    const [b, c] = r.root.children;
    expect([r.root.ns, b?.ns, b?.local, c?.ns]).toEqual(["urn:x", "urn:p", "b", ""]);
    expect(b?.attributes.map((a) => [a.ns, a.local, a.value])).toEqual([["", "q", "1"], ["urn:p", "r", "2"]]);
  });

  it("decodes entities, character references, CDATA and line ends; normalises attribute whitespace", () => {
    const r = parse(`<a v="x\ty&#9;z">1 &lt; 2 &amp;&#x1F600;&#65;<![CDATA[<b>]]>\r\nend</a>`);
    if (!r.ok) throw new Error(r.issues[0]?.message);
    expect(r.root.text).toBe("1 < 2 &😀A<b>\nend");
    expect(r.root.attributes[0]?.value).toBe("x y\tz");
  });

  it("tracks text in containers only as a flag", () => {
    const r = parse("<a>\n  <b>v</b>\n  x</a>");
    expect(r.ok && [r.root.text, r.root.hasText, r.root.children[0]?.text]).toEqual(["", true, "v"]);
  });

  it.each([
    ["<a><b></a></b>", "malformed_xml"],
    ["<a x='1' x='2'/>", "malformed_xml"],
    ["<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>", "malformed_xml"],
    ["<p:a/>", "malformed_xml"],
    ["<a>&bogus;</a>", "entity_forbidden"],
    ["<a>&#0;</a>", "malformed_xml"],
    ["<a>]]></a>", "malformed_xml"],
    ["<a><!-- a -- b --></a>", "malformed_xml"],
    ["<a/><b/>", "malformed_xml"],
    ["<a x=1/>", "malformed_xml"],
    ["<a x='<'/>", "malformed_xml"],
    ["<a><?xml version='1.0'?></a>", "malformed_xml"],
    ["<!DOCTYPE a><a/>", "dtd_forbidden"],
    ["<a><!ENTITY x 'y'></a>", "entity_forbidden"],
    ["", "malformed_xml"],
  ])("%j → %s", (xml, code) => {
    const r = parse(xml);
    expect(!r.ok && r.issues[0]?.code).toBe(code);
  });

  it("enforces depth, element and attribute limits", () => {
    expect(parseXml("<a><b><c/></b></a>", { ...DEFAULT_MEMO_LIMITS, maxDepth: 2 }).ok).toBe(false);
    expect(parseXml("<a><b/><b/><b/></a>", { ...DEFAULT_MEMO_LIMITS, maxElements: 3 }).ok).toBe(false);
    expect(parseXml("<a x='1' y='2'/>", { ...DEFAULT_MEMO_LIMITS, maxAttributes: 1 }).ok).toBe(false);
  });
});
