import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openNodeDatabase } from "../src/client-node.ts";
import { useLeanHranaEncoding } from "../src/lean-hrana-encoding.ts";
import { leanWriterMethods } from "../src/lean-protobuf-writer.ts";
import { startSqld, type Sqld } from "./sqld.ts";

type Encode = (w: unknown, v: unknown) => void;
type Library = {
  MessageWriter: { prototype: Record<string, unknown> };
  writeProtobufMessage(value: unknown, fun: Encode): Uint8Array;
};

// The library's own writer and pipeline encoder, by the URLs its modules import them by.
const index = new URL(import.meta.resolve("@libsql/hrana-client"));
const library = (await import(new URL("./encoding/protobuf/encode.js", index).href)) as Library;
const { PipelineReqBody } = (await import(new URL("./http/protobuf_encode.js", index).href)) as { PipelineReqBody: Encode };
// Its methods as shipped, taken before anything here sets the lean ones.
const shipped = Object.fromEntries(Object.entries(Object.getOwnPropertyDescriptors(library.MessageWriter.prototype)));

/** A pipeline request with every kind of value, nested conditions, non-ASCII text and a 17 KB blob. */
function pipeline() {
  const blob = new Uint8Array(17_000).map((_, i) => (i * 31) % 256);
  const stmt = (sqlText: string, args: unknown[]) => ({ sql: sqlText, args, namedArgs: [], wantRows: true });
  return {
    baton: "baton-ÆØÅ",
    requests: [
      { type: "execute", stmt: { sql: undefined, sqlId: 7, args: [], namedArgs: [{ name: ":x", value: "y" }], wantRows: false } },
      {
        type: "batch",
        batch: {
          steps: [
            { stmt: stmt("BEGIN IMMEDIATE", []) },
            {
              condition: { type: "ok", step: 0 },
              stmt: stmt("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", [null, 5n, -9_007_199_254_740_993n, 1.5, "smørrebrød 🍞 \ud800", blob]),
            },
            {
              condition: {
                type: "and",
                conds: [
                  { type: "ok", step: 1 },
                  { type: "not", cond: { type: "error", step: 0 } },
                ],
              },
              stmt: stmt("COMMIT", []),
            },
            { condition: { type: "or", conds: [{ type: "is_autocommit" }] }, stmt: stmt("ROLLBACK", [-1]) },
          ],
        },
      },
      { type: "close" },
    ],
  };
}

describe("the lean Hrana protobuf writer", () => {
  it("writes a pipeline request byte for byte as the library's writer does", () => {
    const expected = library.writeProtobufMessage(pipeline(), PipelineReqBody);
    for (const [m, fn] of Object.entries(leanWriterMethods)) library.MessageWriter.prototype[m] = fn;
    try {
      const lean = library.writeProtobufMessage(pipeline(), PipelineReqBody);
      expect(lean.length).toBeGreaterThan(17_000);
      expect(Buffer.from(lean).equals(Buffer.from(expected))).toBe(true);
      // A writer is empty again after it gave its bytes.
      expect(Buffer.from(library.writeProtobufMessage(pipeline(), PipelineReqBody)).equals(Buffer.from(expected))).toBe(true);
    } finally {
      Object.defineProperties(library.MessageWriter.prototype, shipped);
    }
  });

  describe("in use by the Node server's remote client, on sqld", () => {
    let sqld: Sqld;
    beforeAll(async () => {
      sqld = await startSqld();
    });
    afterAll(async () => {
      Object.defineProperties(library.MessageWriter.prototype, shipped);
      await sqld?.stop();
    });

    it("is set on the library's writer, and every kind of value comes back as written", async () => {
      expect(await useLeanHranaEncoding()).toBe(true);
      expect(library.MessageWriter.prototype.data).toBe(leanWriterMethods.data);
      // Counted: the client's requests go through this very writer (the module instance its library uses).
      let written = 0;
      library.MessageWriter.prototype.data = function (this: unknown) {
        written++;
        return leanWriterMethods.data.call(this as never);
      };
      const db = await openNodeDatabase(sqld.url);
      await sql`CREATE TABLE v (n INTEGER, big INTEGER, f REAL, t TEXT, b BLOB, z TEXT)`.execute(db);
      const blob = new Uint8Array(17_000).map((_, i) => (i * 13) % 256);
      const text = "Æblegrød på Ærø, 🍞 og ünïcödé";
      await sql`INSERT INTO v VALUES (${-42}, ${2 ** 53 - 1}, ${Math.PI}, ${text}, ${blob}, ${null})`.execute(db);
      const { rows } = await sql<{ n: number; big: number; f: number; t: string; b: ArrayBuffer; z: null }>`SELECT * FROM v`.execute(db);
      expect(rows[0]).toMatchObject({ n: -42, big: 2 ** 53 - 1, f: Math.PI, t: text, z: null });
      expect(Buffer.from(rows[0]!.b).equals(Buffer.from(blob))).toBe(true);
      expect(written).toBeGreaterThanOrEqual(3);
      await db.destroy();
    });
  });
});
