import { describe, expect, it } from "vitest";
import { readMemo } from "../src/memo/index.ts";
import { sampleBytes, SAMPLE_NAMES } from "./memo-samples.ts";

/** Seeded PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [
  "<",
  ">",
  "/",
  "&",
  ";",
  "<!--",
  "-->",
  "<![CDATA[",
  "]]>",
  "<?",
  "?>",
  '"',
  "'",
  "=",
  ":",
  'xmlns:memo="x"',
  "<memo:File>",
  "</memo:File>",
  "&#0;",
  "&#x10FFFF;",
  "\u0000",
  "\uFFFF",
  "😀",
  "<!DOCTYPE",
  "<!ENTITY",
];

describe("readMemo never throws", () => {
  it("on 1,500 randomly damaged copies of the samples (byte flips, cuts, inserted markup)", { timeout: 60_000 }, () => {
    const rand = rng(7);
    let refused = 0;
    for (let n = 0; n < 1500; n++) {
      const base = sampleBytes(SAMPLE_NAMES[n % 4]!);
      let bytes: Uint8Array;
      const kind = n % 3;
      if (kind === 0) {
        bytes = base.slice();
        for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      } else if (kind === 1) {
        bytes = base.slice(0, Math.floor(rand() * base.length));
      } else {
        const text = new TextDecoder().decode(base);
        const at = Math.floor(rand() * text.length);
        const snippet = SNIPPETS[Math.floor(rand() * SNIPPETS.length)]!;
        bytes = new TextEncoder().encode(text.slice(0, at) + snippet + text.slice(at));
      }
      let r: ReturnType<typeof readMemo> | undefined;
      expect(() => (r = readMemo(bytes))).not.toThrow();
      if (r !== undefined && !r.ok) {
        refused++;
        expect(r.issues.length).toBeGreaterThan(0);
        for (const i of r.issues) expect(typeof i.path === "string" && i.path.startsWith("/") && i.message.length > 0).toBe(true);
      }
    }
    expect(refused).toBeGreaterThan(750);
  });
});
