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
    expect(b?.attributes.map((a) => [a.ns, a.local, a.value])).toEqual([
      ["", "q", "1"],
      ["urn:p", "r", "2"],
    ]);
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
    ["<a><?a:b x?></a>", "malformed_xml"],
    ["<?XmL x?><a/>", "malformed_xml"],
    ["<!DOCTYPE a><a/>", "dtd_forbidden"],
    ["<a><!ENTITY x 'y'></a>", "entity_forbidden"],
    ["", "malformed_xml"],
  ])("%j → %s", (xml, code) => {
    const r = parse(xml);
    expect(!r.ok && r.issues[0]?.code).toBe(code);
  });

  it("reads character references with any number of digits, leading zeros included (issue 10 §4)", () => {
    const r = parse(`<a v="&#x0000000041;&#000000000065;">&#x0000000041;&#000000000065;&#x${"0".repeat(1000)}1F600;</a>`);
    if (!r.ok) throw new Error(r.issues[0]?.message);
    expect([r.root.text, r.root.attributes[0]?.value]).toEqual(["AA😀", "AA"]);
  });

  it("refuses character references beyond U+10FFFF or outside XML's Char, whatever their length", () => {
    for (const ref of [
      "&#x110000;",
      "&#1114112;",
      `&#x1${"0".repeat(40)};`,
      `&#${"9".repeat(400)};`,
      "&#xD800;",
      "&#x0000000000;",
      "&#xFFFE;",
    ]) {
      const r = parse(`<a>${ref}</a>`);
      expect(!r.ok && r.issues[0]?.code, ref.slice(0, 20)).toBe("malformed_xml");
    }
    const r = parse(`<a>&#x${"F".repeat(50)};</a>`);
    expect(!r.ok && r.issues[0]?.message).toMatch(/beyond U\+10FFFF/);
    expect(!r.ok && r.issues[0]!.message.length).toBeLessThan(200);
    for (const ref of ["&#;", "&#x;", "&#X41;", "&#x41", "&#65", "&# 65;", "&#+65;", "&#x-41;", "&#6 5;", "&#٦٥;"]) {
      expect(parse(`<a>${ref}</a>`).ok, ref).toBe(false);
    }
  });

  it("reads a huge digit run in linear time and constant extra memory", () => {
    const zeros = "0".repeat(5_000_000);
    const t0 = performance.now();
    const ok = parse(`<a>&#x${zeros}41;</a>`);
    const bad = parse(`<a>&#x${zeros}110000;</a>`);
    const unterminated = parse(`<a>&#x${zeros}</a>`);
    expect(ok.ok && ok.root.text).toBe("A");
    expect(!bad.ok && bad.issues[0]?.message).toMatch(/beyond U\+10FFFF/);
    expect(unterminated.ok).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it("refuses every entity other than the five predefined ones, Object.prototype's names too", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "nbsp", "LT", "amp "]) {
      const r = parse(`<a>&${name};</a>`);
      expect(!r.ok && r.issues[0]?.code, name).toMatch(/entity_forbidden|malformed_xml/);
    }
    const r = parse(`<a b="&quot;&apos;&lt;&gt;&amp;">&quot;&apos;&lt;&gt;&amp;</a>`);
    expect(r.ok && [r.root.text, r.root.attributes[0]?.value]).toEqual([`"'<>&`, `"'<>&`]);
  });

  it("accepts more than 64 attributes counting namespace declarations (issue 10 §4)", () => {
    const xmlns = Array.from({ length: 200 }, (_, i) => `xmlns:p${i}="urn:x"`).join(" ");
    const r = parse(`<m:a xmlns:m="urn:m" ${xmlns} p7:x="1" y="2"><p199:b ${xmlns}/></m:a>`);
    if (!r.ok) throw new Error(r.issues[0]?.message);
    expect([r.root.ns, r.root.attributes.length, r.root.children[0]?.ns]).toEqual(["urn:m", 2, "urn:x"]);
  });

  it("finds duplicate attributes and declarations among many, in linear time", () => {
    const many = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join(" ");
    expect(parse(`<a ${many(100, (i) => `xmlns:p${i}="urn:${i}"`)} xmlns:p5="urn:5"/>`).ok).toBe(false);
    expect(parse(`<a ${many(100, (i) => `b${i}="1"`)} b50="2"/>`).ok).toBe(false);
    expect(parse(`<a xmlns:p="urn:x" xmlns:q="urn:x" ${many(20, (i) => `b${i}="1"`)} p:c="1" q:c="2"/>`).ok).toBe(false);
    const n = 10_000;
    const t0 = performance.now();
    const wide = parse(`<a ${many(n / 2, (i) => `xmlns:p${i}="urn:${i}"`)} ${many(n / 2, (i) => `p${i}:x="1"`)}/>`);
    expect(wide.ok && wide.root.attributes.length).toBe(n / 2);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(parse(`<a ${many(n + 1, (i) => `b${i}="1"`)}/>`).ok).toBe(false);
  });

  it("refuses namespace declarations the Namespaces spec forbids (libxml2 reports a namespace error)", () => {
    for (const decl of [
      `xmlns:p=""`,
      `xmlns:xmlns="urn:x"`,
      `xmlns:xml="urn:x"`,
      `xmlns:p="http://www.w3.org/XML/1998/namespace"`,
      `xmlns="http://www.w3.org/2000/xmlns/"`,
      `xmlns:p="not a uri"`,
      `xmlns:p="urn:ø"`,
      `xmlns:p="%zz"`,
    ]) {
      const r = parse(`<a ${decl}/>`);
      expect(!r.ok && r.issues[0]?.code, decl).toBe("malformed_xml");
    }
    for (const decl of [
      `xmlns=""`,
      `xmlns:xml="http://www.w3.org/XML/1998/namespace"`,
      `xmlns:xmlfoo="urn:x"`,
      `xmlns:p="relative/ref"`,
      `xmlns:p="https://x.dk/a%20b#c"`,
    ]) {
      expect(parse(`<a ${decl}/>`).ok, decl).toBe(true);
    }
  });

  it("enforces depth, element and attribute limits", () => {
    expect(parseXml("<a><b><c/></b></a>", { ...DEFAULT_MEMO_LIMITS, maxDepth: 2 }).ok).toBe(false);
    expect(parseXml("<a><b/><b/><b/></a>", { ...DEFAULT_MEMO_LIMITS, maxElements: 3 }).ok).toBe(false);
    expect(parseXml("<a x='1' y='2'/>", { ...DEFAULT_MEMO_LIMITS, maxAttributes: 1 }).ok).toBe(false);
  });
});
