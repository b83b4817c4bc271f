import { afterAll, describe, expect, it } from "vitest";
import { startMemoPool } from "../src/node/memo-pool.ts";
import { checkMemo } from "../src/services/memo-check.ts";
import { memoFor } from "./support/memo-fixtures.ts";

const pool = startMemoPool(2);
afterAll(() => pool.close());

describe("the MeMo worker-thread pool (POSTVEJ_PARSE_THREADS)", () => {
  it("answers exactly as reading on the main thread does, for valid and refused documents", async () => {
    const docs = [
      memoFor("29189846", { name: "v1.2-full" }).xml,
      memoFor("29189846", { name: "v1.1-minimum" }).xml,
      "<memo:Message xmlns:memo=\"https://DigitalPost.dk/MeMo-1\"><oops></memo:Message>",
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>`,
    ].map((x) => new TextEncoder().encode(x));
    const pooled = await Promise.all(docs.map((d) => pool.check(d)));
    expect(pooled).toEqual(docs.map((d) => checkMemo(d)));
    expect(pooled.map((r) => r.ok)).toEqual([true, true, false, false]);
  });

  it("reads a small document at once on the calling thread, where handing it over would cost more", () => {
    const small = new TextEncoder().encode(memoFor("29189846").xml);
    expect(small.length).toBeLessThan(4096);
    const r = pool.check(small);
    expect(r).not.toBeInstanceOf(Promise);
    expect(r).toEqual(checkMemo(small));
  });

  it("reads a large document (8 MB of attachment) on a pool thread with the same verdict", async () => {
    const b64 = Buffer.alloc(6 * 1024 * 1024, 7).toString("base64").replace(/.{76}/g, "$&\n");
    const big = new TextEncoder().encode(memoFor("29189846").xml.replace("VGhpcyBpcyBhIHRlc3Q=", b64));
    expect(big.length).toBeGreaterThan(8_000_000);
    const pooled = pool.check(big);
    expect(pooled).toBeInstanceOf(Promise);
    expect(await pooled).toEqual(checkMemo(big));
    expect((await pooled).ok).toBe(true);
  });
});
