/// <reference types="node" />
// MeMo parser/validator benchmark: `npm run bench -w @postvej/core`. Prints figures; asserts nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { convertMemoVersion, parseMemo, readMemo } from "../src/memo/index.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const MEMO = new URL("../../../fixtures/memo/", import.meta.url);
const sample = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`samples/${name}.xml`, MEMO)));
const XSD12 = fileURLToPath(new URL("xsd/Version1.2/MeMo_core.xsd", MEMO));

type Rate = { wall: number; cpu: number };

/**
 * Docs per second by wall clock and per CPU-second of this process for each function, measured in
 * alternating rounds after a long warm-up (so the optimising compiler has finished), best round
 * kept: the machine may be shared, and the best round is the one least disturbed.
 */
function rates(fns: (() => void)[], rounds = 12, perRound = 300): Rate[] {
  const warmUntil = performance.now() + 1500;
  while (performance.now() < warmUntil) for (const fn of fns) for (let i = 0; i < 50; i++) fn();
  const best = fns.map(() => ({ wall: 0, cpu: 0 }));
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, k) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) fn();
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const b = best[k]!;
      b.wall = Math.max(b.wall, (perRound * 1000) / ms);
      b.cpu = Math.max(b.cpu, perRound / Math.max((c.user + c.system) / 1e6, 1e-6));
    });
  }
  return best;
}

/** xmllint --schema on n copies in one process: docs/s by wall clock and per CPU-second of xmllint. */
function xmllintRate(bytes: Uint8Array, n: number): { wall: number; cpu: number } {
  const dir = mkdtempSync(join(tmpdir(), "memo-bench-"));
  try {
    const files: string[] = [];
    for (let i = 0; i < n; i++) {
      const f = `d${i}.xml`;
      writeFileSync(join(dir, f), bytes);
      files.push(f);
    }
    writeFileSync(join(dir, "files.txt"), files.join(" "));
    const start = performance.now();
    const script = `TIMEFORMAT='%U %S'; time xmllint --noout --nonet --schema '${XSD12}' $(cat files.txt)`;
    const r = spawnSync("bash", ["-c", script], { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const ms = performance.now() - start;
    if (r.error) throw r.error;
    const lines = r.stderr.trim().split("\n");
    const ok = lines.filter((l) => l.endsWith(" validates")).length;
    if (ok !== n) throw new Error(`xmllint validated ${ok}/${n}`);
    const [user, sys] = (lines[lines.length - 1] ?? "0 0").split(" ").map(Number);
    return { wall: (n * 1000) / ms, cpu: n / ((user ?? 0) + (sys ?? 0)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");

console.log("MeMo parse + validate (readMemo), one core; docs/s by wall clock and per CPU-second (best of 12 alternating rounds)");
for (const name of ["v1.2-full", "v1.2-minimum"]) {
  const bytes = sample(name);
  const [full, bare] = rates([
    () => {
      if (!readMemo(bytes).ok) throw new Error(`${name} invalid`);
    },
    () => {
      if (!parseMemo(bytes).ok) throw new Error(`${name} malformed`);
    },
  ]) as [Rate, Rate];
  const lint = xmllintRate(bytes, name === "v1.2-full" ? 1000 : 2000);
  console.log(`  ${name} (${bytes.length} bytes)`);
  console.log(
    `    readMemo (parse + validate + model)   ${fmt(full.wall).padStart(7)} docs/s wall, ${fmt(full.cpu).padStart(7)} per CPU-s`,
  );
  console.log(
    `    bare parse (parseMemo, same bytes)    ${fmt(bare.wall).padStart(7)} docs/s wall, ${fmt(bare.cpu).padStart(7)} per CPU-s  -> readMemo/bare = ${(full.cpu / bare.cpu).toFixed(2)}`,
  );
  console.log(
    `    xmllint --schema (one process)        ${fmt(lint.wall).padStart(7)} docs/s wall, ${fmt(lint.cpu).padStart(7)} per CPU-s  -> readMemo/xmllint = ${(full.cpu / lint.cpu).toFixed(2)}`,
  );
}

console.log("\nMeMo version conversion (convertMemoVersion) against reading the same message (readMemo), same run");
for (const name of ["v1.2-full", "v1.1-full"]) {
  const bytes = sample(name);
  const to = name.startsWith("v1.2") ? "1.1" : "1.2";
  const [read, convert] = rates([
    () => {
      if (!readMemo(bytes).ok && name === "v1.2-full") throw new Error(`${name} invalid`);
    },
    () => {
      if (convertMemoVersion(bytes, to).conversion === null) throw new Error(`${name} not converted`);
    },
  ]) as [Rate, Rate];
  const ratio = read.cpu / convert.cpu;
  console.log(
    `  ${name} -> ${to}: convert ${fmt(convert.cpu).padStart(7)} per CPU-s, read ${fmt(read.cpu).padStart(7)} per CPU-s  -> convert/read = ${(100 * ratio).toFixed(1)} % (budget 20 %)`,
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
  const r = readMemo(bytes);
  const after = process.memoryUsage();
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  let bestMs = Number.POSITIVE_INFINITY;
  let bestCpuMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 4; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    readMemo(bytes);
    bestMs = Math.min(bestMs, performance.now() - t0);
    const c = process.cpuUsage(c0);
    bestCpuMs = Math.min(bestCpuMs, (c.user + c.system) / 1000);
  }
  const mbytes = bytes.length / 1024 / 1024;
  const heapMb = (after.heapUsed - before.heapUsed) / 1024 / 1024;
  console.log(
    `  ${mbytes.toFixed(1).padStart(5)} MB: ${bestMs.toFixed(1).padStart(6)} ms wall, ${bestCpuMs.toFixed(1).padStart(6)} ms CPU (${(bestMs / mbytes).toFixed(1)} ms/MB), heap +${heapMb.toFixed(1)} MB while the result is held (${(heapMb / mbytes).toFixed(2)}x the message)`,
  );
}

console.log("\nEntity-expansion bomb (billion laughs)");
const bomb = new TextEncoder().encode(
  `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`).join("")}]><lolz>&lol9;</lolz>`,
);
const t0 = performance.now();
const refused = readMemo(bomb);
const bombMs = performance.now() - t0;
const warm = 1000 / rates([() => readMemo(bomb)], 4)[0]!.wall;
console.log(
  `  refused (${refused.ok ? "NOT REFUSED" : refused.issues.map((i) => i.code).join(", ")}) in ${bombMs.toFixed(3)} ms cold, ${(warm * 1000).toFixed(1)} µs warm`,
);
