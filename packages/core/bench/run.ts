/// <reference types="node" />
// MeMo parser/validator benchmark: `npm run bench -w @postvej/core`. Prints figures; asserts nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parseMemo, readMemo } from "../src/memo/index.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const SHARED = new URL("../../../../shared/memo/", import.meta.url);
const sample = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`samples/${name}.xml`, SHARED)));
const XSD12 = fileURLToPath(new URL("xsd/Version1.2/MeMo_core.xsd", SHARED));

function rate(fn: () => void, minMs = 1500): number {
  for (let i = 0; i < 200; i++) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

function xmllintRate(bytes: Uint8Array, n: number): number {
  const dir = mkdtempSync(join(tmpdir(), "memo-bench-"));
  try {
    const files: string[] = [];
    for (let i = 0; i < n; i++) {
      const f = `d${i}.xml`;
      writeFileSync(join(dir, f), bytes);
      files.push(f);
    }
    const start = performance.now();
    const r = spawnSync("xmllint", ["--noout", "--nonet", "--schema", XSD12, ...files], { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const ms = performance.now() - start;
    if (r.error) throw r.error;
    const ok = r.stderr.split("\n").filter((l) => l.endsWith(" validates")).length;
    if (ok !== n) throw new Error(`xmllint validated ${ok}/${n}`);
    return (n * 1000) / ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");

console.log("MeMo parse + validate (readMemo), one core");
for (const name of ["v1.2-full", "v1.2-minimum"]) {
  const bytes = sample(name);
  const full = rate(() => {
    if (!readMemo(bytes).ok) throw new Error(`${name} invalid`);
  });
  const bare = rate(() => {
    if (!parseMemo(bytes).ok) throw new Error(`${name} malformed`);
  });
  const lint = xmllintRate(bytes, name === "v1.2-full" ? 1000 : 2000);
  console.log(
    `  ${name.padEnd(13)} ${String(bytes.length).padStart(6)} B  readMemo ${fmt(full).padStart(7)} docs/s  | bare parse ${fmt(bare).padStart(7)} docs/s (validate+model costs ${((bare / full - 1) * 100).toFixed(0)}%, ratio ${(full / bare).toFixed(2)})  | xmllint --schema ${fmt(lint).padStart(5)} docs/s (ours ${(full / lint).toFixed(1)}x)`,
  );
}

console.log("\nLarge messages (v1.2-minimum with one big base64 attachment)");
const minimum = new TextDecoder().decode(sample("v1.2-minimum"));
for (const mb of [1, 5, 10, 20]) {
  const raw = new Uint8Array((mb * 1024 * 1024 * 3) / 4);
  for (let i = 0; i < raw.length; i += 65536) crypto.getRandomValues(raw.subarray(i, Math.min(raw.length, i + 65536)));
  let b64 = "";
  const CHUNK = 3 * 1024 * 16;
  for (let i = 0; i < raw.length; i += CHUNK) b64 += btoa(String.fromCharCode(...raw.subarray(i, i + CHUNK)));
  const wrapped = b64.replace(/.{76}/g, "$&\n");
  const bytes = new TextEncoder().encode(minimum.replace("VGhpcyBpcyBhIHRlc3Q=", wrapped));
  gc();
  const before = process.memoryUsage();
  const start = performance.now();
  const r = readMemo(bytes);
  const ms = performance.now() - start;
  const after = process.memoryUsage();
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const heapMb = (after.heapUsed - before.heapUsed) / 1024 / 1024;
  console.log(`  ${(bytes.length / 1024 / 1024).toFixed(1).padStart(5)} MB: ${ms.toFixed(1).padStart(6)} ms (${((bytes.length / 1024 / 1024) / (ms / 1000)).toFixed(0)} MB/s), heap +${heapMb.toFixed(1)} MB (${(heapMb / (bytes.length / 1024 / 1024)).toFixed(2)}x the message, result held)`);
}

console.log("\nEntity-expansion bomb (billion laughs)");
const bomb = new TextEncoder().encode(
  `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`).join("")}]><lolz>&lol9;</lolz>`,
);
const t0 = performance.now();
const refused = readMemo(bomb);
const bombMs = performance.now() - t0;
const warm = 1000 / rate(() => readMemo(bomb), 300);
console.log(`  refused (${refused.ok ? "NOT REFUSED" : refused.issues.map((i) => i.code).join(", ")}) in ${bombMs.toFixed(3)} ms cold, ${(warm * 1000).toFixed(1)} µs warm`);
