/// <reference types="node" />
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  convertMemoVersion,
  memoIssueKind,
  memoVersionOf,
  MemoConversionError,
  parseMemo,
  readMemo,
  type MemoVersionName,
  type XmlElement,
} from "../src/memo/index.ts";
import { MEMO_FIXTURES_DIR, sampleBytes, SAMPLE_NAMES, utf8 } from "./memo-samples.ts";
import { generateVariants } from "./memo-variants.ts";

const XSD: Record<MemoVersionName, string> = {
  "1.1": fileURLToPath(new URL("xsd/MeMo_core.xsd", MEMO_FIXTURES_DIR)),
  "1.2": fileURLToPath(new URL("xsd/Version1.2/MeMo_core.xsd", MEMO_FIXTURES_DIR)),
};
const other = (v: MemoVersionName): MemoVersionName => (v === "1.1" ? "1.2" : "1.1");
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Files libxml2 validates against `xsd` without a namespace error, from one xmllint process. */
function xmllintValid(dir: string, files: string[], xsd: string): Set<string> {
  const valid = new Set<string>();
  if (files.length === 0) return valid;
  const r = spawnSync("xmllint", ["--noout", "--nonet", "--schema", xsd, ...files], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  const nsErrors = new Set<string>();
  for (const line of r.stderr.split("\n")) {
    const m = /^(\S+) validates$/.exec(line);
    if (m?.[1] !== undefined) valid.add(m[1]);
    const ns = /^(\S+?):\d+: namespace error :/.exec(line);
    if (ns?.[1] !== undefined) nsErrors.add(ns[1]);
  }
  for (const f of nsErrors) valid.delete(f);
  return valid;
}

/** Elements only one version has (with their content): a conversion to the other version drops them. */
const ONLY_1_2 = /^\/Message\/MessageHeader\/(?:Sender\/Representative|ForwardData\/originalRepresentative)(?:\/|$)/;
const DEFAULTED = new Set(["/Message/MessageHeader/mandatory", "/Message/MessageHeader/legalNotification"]);

/** Every element as path, namespace, text and attributes, in document order. */
function elements(bytes: Uint8Array): { path: string; key: string }[] {
  const parsed = parseMemo(bytes);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const out: { path: string; key: string }[] = [];
  const walk = (e: XmlElement, parent: string): void => {
    const path = `${parent}/${e.local}`;
    out.push({ path, key: `${path} ${e.ns} ${JSON.stringify(e.text)} ${JSON.stringify(e.attributes)}` });
    for (const c of e.children) walk(c, path);
  };
  for (const c of parsed.xml.root.children) walk(c, "/Message");
  return out;
}

/** The bytes from MessageBody on (everything after MessageHeader), which a conversion never touches. */
function afterHeader(bytes: Uint8Array): string {
  const parsed = parseMemo(bytes);
  if (!parsed.ok) throw new Error("does not parse");
  const header = parsed.xml.root.children[0]!;
  return parsed.xml.source.slice(header.end);
}

type Case = { id: string; what: string; bytes: Uint8Array; version: MemoVersionName };

/** The official samples and every generated variant that libxml2 and readMemo both find schema-valid. */
function validCases(dir: string): Case[] {
  const all: Case[] = SAMPLE_NAMES.map((n) => ({
    id: `s-${n}`,
    what: `official ${n}`,
    bytes: sampleBytes(n),
    version: n.startsWith("v1.1") ? "1.1" : "1.2",
  }));
  for (const v of generateVariants()) {
    if (v.deliberate !== undefined) continue;
    const bytes = utf8(v.xml);
    const r = readMemo(bytes);
    if (!r.ok && r.issues.some((i) => memoIssueKind(i.code) !== "business")) continue;
    const version = r.ok ? r.memo.version : memoVersionOf(bytes);
    all.push({ id: v.id, what: `${v.base}: ${v.what}`, bytes, version });
  }
  for (const c of all) writeFileSync(join(dir, `${c.id}.xml`), c.bytes);
  const valid = new Set<string>();
  for (const version of ["1.1", "1.2"] as const) {
    for (const f of xmllintValid(
      dir,
      all.filter((c) => c.version === version).map((c) => `${c.id}.xml`),
      XSD[version],
    ))
      valid.add(f);
  }
  return all.filter((c) => valid.has(`${c.id}.xml`));
}

describe("MeMo version conversion (convertMemoVersion)", () => {
  it(
    "converts every valid sample and variant to the other version, valid for libxml2 there, and back without losing what both versions have",
    { timeout: 120_000 },
    () => {
      const dir = mkdtempSync(join(tmpdir(), "memo-convert-"));
      try {
        const cases = validCases(dir);
        expect(cases.filter((c) => c.id.startsWith("s-"))).toHaveLength(4);
        const byVersion = {
          "1.1": cases.filter((c) => c.version === "1.1").length,
          "1.2": cases.filter((c) => c.version === "1.2").length,
        };
        expect(byVersion["1.1"]).toBeGreaterThanOrEqual(50);
        expect(byVersion["1.2"]).toBeGreaterThanOrEqual(50);
        const converted: Record<MemoVersionName, string[]> = { "1.1": [], "1.2": [] };
        const problems: string[] = [];
        for (const c of cases) {
          const to = other(c.version);
          const r = convertMemoVersion(c.bytes, to);
          if (r.conversion === null) {
            problems.push(`${c.id} [${c.what}]: not converted`);
            continue;
          }
          expect(r.conversion.converted).toBe(`${c.version}→${to}`);
          writeFileSync(join(dir, `${c.id}-to-${to}.xml`), r.bytes);
          converted[to].push(`${c.id}-to-${to}.xml`);
          // ours agrees: the converted message reads as the other version
          const read = readMemo(r.bytes);
          const schemaIssues = read.ok ? [] : read.issues.filter((i) => memoIssueKind(i.code) !== "business");
          if (schemaIssues.length > 0) problems.push(`${c.id} [${c.what}] → ${to}: readMemo ${JSON.stringify(schemaIssues.slice(0, 2))}`);
          if (memoVersionOf(r.bytes) !== to) problems.push(`${c.id} [${c.what}]: memoVersion is not ${to}`);
          // the body and its attachments are the same bytes
          if (afterHeader(r.bytes) !== afterHeader(c.bytes)) problems.push(`${c.id} [${c.what}]: bytes after MessageHeader changed`);
          // back again: every element both versions have is kept, with its text and attributes
          const back = convertMemoVersion(r.bytes, c.version);
          expect(back.conversion?.converted).toBe(`${to}→${c.version}`);
          const before = elements(c.bytes).filter((e) => !ONLY_1_2.test(e.path));
          const had = new Set(before.map((e) => e.path));
          const after = elements(back.bytes).filter((e) => !(DEFAULTED.has(e.path) && !had.has(e.path)));
          if (JSON.stringify(after.map((e) => e.key)) !== JSON.stringify(before.map((e) => e.key)))
            problems.push(`${c.id} [${c.what}]: round trip changed elements`);
          // what was dropped is exactly the 1.2-only elements the message had
          const droppedElements = elements(c.bytes)
            .filter((e) => ONLY_1_2.test(e.path) && /(Representative|originalRepresentative)$/.test(e.path))
            .map((e) => e.path);
          const reported = r.conversion.dropped.filter((p) => !p.includes("@"));
          if (JSON.stringify(reported) !== JSON.stringify(droppedElements))
            problems.push(`${c.id} [${c.what}]: dropped ${JSON.stringify(reported)}, had ${JSON.stringify(droppedElements)}`);
        }
        const invalid: string[] = [];
        for (const to of ["1.1", "1.2"] as const) {
          const ok = xmllintValid(dir, converted[to], XSD[to]);
          for (const f of converted[to]) if (!ok.has(f)) invalid.push(`${f}: ${cases.find((c) => f.startsWith(`${c.id}-`))?.what}`);
        }
        console.log(
          `MeMo conversion: ${cases.length} valid messages (${byVersion["1.1"]} × 1.1, ${byVersion["1.2"]} × 1.2) converted; ${cases.length - invalid.length} valid for libxml2 in the other version`,
        );
        expect(invalid).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("1.2 → 1.1 of v1.2-full: version attributes, Representative and originalRepresentative, the rest byte for byte", () => {
    const original = sampleBytes("v1.2-full");
    const r = convertMemoVersion(original, "1.1");
    expect(r.conversion).toEqual({
      converted: "1.2→1.1",
      from: "1.2",
      to: "1.1",
      dropped: ["/Message/MessageHeader/Sender/Representative", "/Message/MessageHeader/ForwardData/originalRepresentative"],
    });
    expect([...r.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte-order mark stays
    const s = text(original);
    const expected = s
      .replace('memoVersion="1.2"', 'memoVersion="1.1" memoSchVersion="1.1.0"')
      .replace(/\s*<memo:Representative>[\s\S]*?<\/memo:Representative>/, "")
      .replace(/\s*<memo:originalRepresentative>[\s\S]*?<\/memo:originalRepresentative>/, "");
    expect(text(r.bytes)).toBe(expected);
  });

  it("1.2 → 1.1 writes mandatory and legalNotification where the 1.1 schema wants them, with the header's prefix and indentation", () => {
    const r = convertMemoVersion(sampleBytes("v1.2-minimum"), "1.1");
    expect(r.conversion?.dropped).toEqual([]);
    expect(text(r.bytes)).toContain(
      "<memo:mandatory>false</memo:mandatory>\n\t\t<memo:legalNotification>false</memo:legalNotification>\n\t\t<memo:Sender>",
    );
    const onlyLegal = text(sampleBytes("v1.2-full")).replace(/<memo:mandatory>true<\/memo:mandatory>\s*/, "");
    expect(text(convertMemoVersion(utf8(onlyLegal), "1.1").bytes)).toContain(
      "<memo:mandatory>false</memo:mandatory>\n\t\t<memo:legalNotification>false</memo:legalNotification>",
    );
    const onlyMandatory = text(sampleBytes("v1.2-full")).replace(/<memo:legalNotification>false<\/memo:legalNotification>\s*/, "");
    expect(text(convertMemoVersion(utf8(onlyMandatory), "1.1").bytes)).toContain(
      "<memo:mandatory>true</memo:mandatory>\n\t\t<memo:legalNotification>false</memo:legalNotification>\n\t\t<memo:postType>",
    );
    const unprefixed = text(sampleBytes("v1.2-minimum"))
      .replace(/<(\/?)memo:/g, "<$1")
      .replace('xmlns:memo="', 'xmlns="');
    expect(text(convertMemoVersion(utf8(unprefixed), "1.1").bytes)).toContain(
      "<mandatory>false</mandatory>\n\t\t<legalNotification>false</legalNotification>\n\t\t<Sender>",
    );
  });

  it("1.1 → 1.2 drops memoSchVersion only; 1.1 → 1.2 → 1.1 of the official 1.1 samples gives the same bytes", () => {
    for (const name of ["v1.1-full", "v1.1-minimum"] as const) {
      const original = sampleBytes(name);
      const r = convertMemoVersion(original, "1.2");
      expect(r.conversion).toEqual({ converted: "1.1→1.2", from: "1.1", to: "1.2", dropped: ["/Message/@memoSchVersion"] });
      expect(text(r.bytes)).toBe(text(original).replace('memoVersion="1.1" memoSchVersion="1.1.0"', 'memoVersion="1.2"'));
      expect(text(convertMemoVersion(r.bytes, "1.1").bytes)).toBe(text(original));
    }
  });

  it("returns the very same bytes when the version already matches", () => {
    for (const name of SAMPLE_NAMES) {
      const b = sampleBytes(name);
      const r = convertMemoVersion(b, name.startsWith("v1.1") ? "1.1" : "1.2");
      expect(r.conversion).toBeNull();
      expect(r.bytes).toBe(b);
    }
  });

  it("refuses what is not a MeMo message", () => {
    expect(() => convertMemoVersion(utf8("<a/>"), "1.1")).toThrow(MemoConversionError);
    expect(() =>
      convertMemoVersion(
        utf8('<m:Message xmlns:m="https://DigitalPost.dk/MeMo-1" memoVersion="1.0"><m:MessageHeader/></m:Message>'),
        "1.1",
      ),
    ).toThrow(/neither 1.1 nor 1.2/);
    expect(() => convertMemoVersion(utf8('<m:Message memoVersion="1.2"><m:MessageHeader>'), "1.1")).toThrow(MemoConversionError);
  });
});
