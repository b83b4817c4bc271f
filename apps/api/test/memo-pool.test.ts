import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { startMemoPool } from "../src/node/memo-pool.ts";
import { checkMemo } from "../src/services/memo-check.ts";
import { memoFor } from "./support/memo-fixtures.ts";

const pool = startMemoPool(2);
afterAll(() => pool.close());

describe("the MeMo worker-thread pool (POSTVEJ_PARSE_THREADS)", () => {
  it("answers exactly as reading on the main thread does, hands the lent bytes back, and fingerprints a valid message", async () => {
    const texts = [
      memoFor("29189846", { name: "v1.2-full" }).xml,
      memoFor("29189846", { name: "v1.1-full" }).xml,
      `<memo:Message xmlns:memo="https://DigitalPost.dk/MeMo-1">${"<oops>".repeat(1000)}</memo:Message>`,
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;${" ".repeat(5000)}</x>`,
    ];
    const docs = texts.map((x) => new TextEncoder().encode(x));
    expect(docs.every((d) => d.length > 4096)).toBe(true); // all of them go to the thread
    const pooled = await Promise.all(docs.map((d) => pool.check(d)));
    expect(docs.map((d) => d.byteLength)).toEqual([0, 0, 0, 0]); // lent, not copied
    for (const [i, r] of pooled.entries()) {
      const { bytes, ...answer } = r;
      expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)).toBe(texts[i]);
      const here = checkMemo(bytes!);
      expect(answer).toEqual(here.ok ? { ...here, sha256: createHash("sha256").update(bytes!).digest("hex") } : here);
    }
    // The official v1.1-full sample links to http:// pages, which the business rules refuse.
    expect(pooled.map((r) => r.ok)).toEqual([true, false, false, false]);
  });

  it("copies bytes that share their buffer, leaving the caller's view intact", async () => {
    const text = memoFor("29189846", { name: "v1.2-full" }).xml;
    const shared = Buffer.from(`xx${text}`).subarray(2);
    const r = await pool.check(shared);
    expect(shared.toString()).toBe(text);
    expect(r.ok).toBe(true);
  });

  it("reads a small document at once on the calling thread, where handing it over would cost more", () => {
    const small = new TextEncoder().encode(memoFor("29189846").xml);
    expect(small.length).toBeLessThan(4096);
    const r = pool.check(small);
    expect(r).not.toBeInstanceOf(Promise);
    expect(r).toEqual(checkMemo(small));
  });

  it("reads a large document (8 MB of attachment) on a pool thread with the same verdict", async () => {
    const b64 = Buffer.alloc(6 * 1024 * 1024, 7)
      .toString("base64")
      .replace(/.{76}/g, "$&\n");
    const big = new TextEncoder().encode(memoFor("29189846").xml.replace("VGhpcyBpcyBhIHRlc3Q=", b64));
    expect(big.length).toBeGreaterThan(8_000_000);
    const copy = big.slice();
    const pooled = pool.check(big);
    expect(pooled).toBeInstanceOf(Promise);
    const { bytes, sha256, ...answer } = (await pooled) as Awaited<typeof pooled> & { sha256?: string };
    expect(answer).toEqual(checkMemo(copy));
    expect(answer.ok).toBe(true);
    expect(Buffer.compare(bytes!, copy)).toBe(0);
    expect(sha256).toBe(createHash("sha256").update(copy).digest("hex"));
  });

  it("fails the jobs of a thread that dies and answers the next ones from its replacement", async () => {
    const pool1 = startMemoPool(1, new URL("./support/crashing-memo-worker.ts", import.meta.url));
    try {
      const doc = () => new TextEncoder().encode(memoFor("29189846", { name: "v1.2-full" }).xml);
      const crash = new TextEncoder().encode(`CRASH${" ".repeat(5000)}`);
      const [lost, waiting] = [pool1.check(crash), pool1.check(doc())];
      await expect(lost).rejects.toThrow("exited with 1");
      await expect(waiting).rejects.toThrow("exited with 1"); // queued on the same thread: failed, not hung
      for (let i = 0; i < 3; i++) expect((await pool1.check(doc())).ok).toBe(true);
    } finally {
      await pool1.close();
    }
  });
});
