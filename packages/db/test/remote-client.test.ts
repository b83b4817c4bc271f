import { createServer, type Server } from "node:http";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWebDatabase } from "../src/client-web.ts";
import { isConstraintViolation } from "../src/constraint-error.ts";
import { executeBatch, libsqlKysely } from "../src/libsql-dialect.ts";
import { openRemoteClient } from "../src/remote-client.ts";
import { freePort, startSqld, type Sqld } from "./sqld.ts";

let sqld: Sqld;
beforeAll(async () => {
  sqld = await startSqld();
});
afterAll(async () => {
  await sqld?.stop();
});

/** `fetch` that notes the path of every request it sends. */
function recordingFetch(paths: string[]): typeof fetch {
  return (input, init) => {
    paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
    return fetch(input, init);
  };
}

describe("remote client on sqld", () => {
  it("speaks Hrana over protobuf and keeps blobs byte for byte", async () => {
    const paths: string[] = [];
    const { client, ready } = openRemoteClient(sqld.url, undefined, { fetch: recordingFetch(paths) });
    const db = libsqlKysely<{ blobs: { id: number; body: Uint8Array } }>(client, { ready });
    expect(await ready).toBe("protobuf");
    await sql`CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)`.execute(db);
    const body = new Uint8Array(17_000).map((_, i) => (i * 31) % 256);
    await db.insertInto("blobs").values({ id: 1, body }).execute();
    const row = await db.selectFrom("blobs").select("body").where("id", "=", 1).executeTakeFirstOrThrow();
    expect(Buffer.from(row.body as unknown as ArrayBuffer).equals(Buffer.from(body))).toBe(true);
    const statements = paths.filter((p) => p !== "/v3-protobuf");
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.every((p) => p === "/v3-protobuf/pipeline")).toBe(true);
    await db.destroy();
  });

  it("still reports a constraint violation as one, in a batch and in a transaction", async () => {
    const db = openWebDatabase(sqld.url);
    await sql`CREATE TABLE uniq (k TEXT PRIMARY KEY)`.execute(db);
    await sql`INSERT INTO uniq VALUES ('a')`.execute(db);
    const again = await sql`INSERT INTO uniq VALUES ('a')`.execute(db).catch((e: unknown) => e);
    expect(isConstraintViolation(again)).toBe(true);
    const inBatch = await executeBatch(db, [
      sql`INSERT INTO uniq VALUES ('b')`.compile(db),
      sql`INSERT INTO uniq VALUES ('a')`.compile(db),
    ]).catch((e: unknown) => e);
    expect(isConstraintViolation(inBatch)).toBe(true);
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM uniq`.execute(db);
    expect(rows).toEqual([{ n: 1 }]);
    const inTx = await db
      .transaction()
      .execute((tx) => sql`INSERT INTO uniq VALUES ('a')`.execute(tx))
      .catch((e: unknown) => e);
    expect(isConstraintViolation(inTx)).toBe(true);
    await db.destroy();
  });
});

describe("remote client on a server without v3-protobuf", () => {
  let proxy: Server;
  let url: string;
  beforeAll(async () => {
    // Passes every request on to sqld except the v3 probe, as an older server would.
    const port = await freePort();
    proxy = createServer(async (req, res) => {
      if (req.url?.startsWith("/v3")) return void res.writeHead(404).end();
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const answer = await fetch(new URL(req.url ?? "/", sqld.url), {
        method: req.method,
        headers: { "content-type": req.headers["content-type"] ?? "application/json" },
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((ok) => proxy.listen(port, "127.0.0.1", ok));
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await new Promise<void>((ok) => proxy.close(() => ok()));
  });

  it("stays on JSON (v2/pipeline) and works", async () => {
    const paths: string[] = [];
    const { client, ready } = openRemoteClient(url, undefined, { fetch: recordingFetch(paths) });
    const db = libsqlKysely(client, { ready });
    expect(await ready).toBe("json");
    const { rows } = await sql<{ x: number }>`SELECT 41 + 1 AS x`.execute(db);
    expect(rows).toEqual([{ x: 42 }]);
    expect(paths).toContain("/v2/pipeline");
    expect(paths.some((p) => p.startsWith("/v3-protobuf/"))).toBe(false);
    await db.destroy();
  });
});
