/// <reference types="node" />
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { memoIssueKind, readMemo } from "../src/memo/index.ts";
import { MEMO_FIXTURES_DIR, utf8 } from "./memo-samples.ts";
import { generateVariants, type Variant } from "./memo-variants.ts";

const XSD = {
  "1.1": fileURLToPath(new URL("xsd/MeMo_core.xsd", MEMO_FIXTURES_DIR)),
  "1.2": fileURLToPath(new URL("xsd/Version1.2/MeMo_core.xsd", MEMO_FIXTURES_DIR)),
} as const;

/** The schema a message is judged by: the one its memoVersion names (1.2 when absent or other). */
function schemaFor(xml: string): "1.1" | "1.2" {
  const m = /<[^!?][^>]*?\smemoVersion\s*=\s*["']([^"']*)["']/.exec(xml);
  const value = (m?.[1] ?? "")
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(Math.min(Number.parseInt(h, 16), 0x10ffff)))
    .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(Math.min(Number.parseInt(d, 10), 0x10ffff)))
    .replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  return value === "1.1" ? "1.1" : "1.2";
}

/**
 * libxml2's verdict per file, from one xmllint process per schema: valid when it "validates" and
 * reported no namespace error on the way (libxml2 reads on after a broken namespace constraint,
 * such as `xmlns:p=""`, and may then validate; we refuse such a document, see the README).
 */
function xmllintVerdicts(dir: string, files: string[], xsd: string): Map<string, boolean> {
  const verdicts = new Map<string, boolean>();
  if (files.length === 0) return verdicts;
  const r = spawnSync("xmllint", ["--noout", "--nonet", "--schema", xsd, ...files], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  for (const f of files) verdicts.set(f, false);
  const nsErrors = new Set<string>();
  for (const line of r.stderr.split("\n")) {
    const m = /^(\S+) validates$/.exec(line);
    if (m?.[1] !== undefined) verdicts.set(m[1], true);
    const ns = /^(\S+?):\d+: namespace error :/.exec(line);
    if (ns?.[1] !== undefined) nsErrors.add(ns[1]);
  }
  for (const f of nsErrors) verdicts.set(f, false);
  return verdicts;
}

describe("MeMo schema verdicts agree with libxml2 (xmllint --schema)", () => {
  it("on at least 300 variants of the official samples", { timeout: 120_000 }, () => {
    const variants = generateVariants();
    expect(variants.length).toBeGreaterThanOrEqual(300);
    const dir = mkdtempSync(join(tmpdir(), "memo-conformance-"));
    try {
      const bySchema: Record<"1.1" | "1.2", string[]> = { "1.1": [], "1.2": [] };
      const byFile = new Map<string, Variant>();
      for (const v of variants) {
        const file = `${v.id}.xml`;
        writeFileSync(join(dir, file), v.xml);
        bySchema[schemaFor(v.xml)].push(file);
        byFile.set(file, v);
      }
      const oracle = new Map([...xmllintVerdicts(dir, bySchema["1.1"], XSD["1.1"]), ...xmllintVerdicts(dir, bySchema["1.2"], XSD["1.2"])]);
      const disagreements: string[] = [];
      const lostDifferences: string[] = [];
      let valid = 0;
      let deliberate = 0;
      for (const [file, libxml2Valid] of oracle) {
        const v = byFile.get(file)!;
        const r = readMemo(utf8(v.xml));
        const schemaIssues = r.ok ? [] : r.issues.filter((i) => memoIssueKind(i.code) !== "business");
        const ours = schemaIssues.length === 0;
        if (v.deliberate !== undefined) {
          // a documented difference: it must still be one, or the README is out of date
          deliberate++;
          const oursNow = schemaIssues[0]?.code ?? "valid";
          if (libxml2Valid !== v.deliberate.libxml2Valid || oursNow !== v.deliberate.ours)
            lostDifferences.push(
              `${file} [${v.base}: ${v.what}] libxml2=${libxml2Valid ? "valid" : "invalid"} ours=${oursNow}, documented: libxml2=${v.deliberate.libxml2Valid ? "valid" : "invalid"} ours=${v.deliberate.ours}`,
            );
          continue;
        }
        if (libxml2Valid) valid++;
        if (ours !== libxml2Valid)
          disagreements.push(
            `${file} [${v.base}: ${v.what}] libxml2=${libxml2Valid ? "valid" : "invalid"} ours=${ours ? "valid" : JSON.stringify(schemaIssues.slice(0, 2))}`,
          );
      }
      const compared = oracle.size - deliberate;
      const agreement = (100 * (compared - disagreements.length)) / compared;
      console.log(
        `MeMo conformance: ${compared - disagreements.length}/${compared} variants agree with libxml2 (${agreement.toFixed(1)}%); ${valid} valid, ${compared - valid} invalid; ${deliberate - lostDifferences.length}/${deliberate} documented differences hold`,
      );
      if (disagreements.length > 0) console.log(disagreements.slice(0, 60).join("\n"));
      if (lostDifferences.length > 0) console.log(lostDifferences.join("\n"));
      expect(disagreements).toEqual([]);
      expect(lostDifferences).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
