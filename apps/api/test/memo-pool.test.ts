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
});
