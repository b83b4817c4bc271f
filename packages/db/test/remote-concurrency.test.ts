// A remote database (sqld, Turso) takes many statements at once: the Kysely instance over it must
// not queue every statement of the process behind one connection mutex (Kysely's SqliteAdapter
// does). Behind it, a stalled database held each waiting request for the deadline of every
// request ahead of it (three /healthz at once answered after 3, 6 and 9 s with a 3 s deadline),
// and a read outside a transaction waited for that transaction to end.
import { createServer, type Server } from "node:http";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWebDatabase } from "../src/client-web.ts";
import { freePort, startSqld, type Sqld } from "./sqld.ts";

describe("remote statements side by side", () => {
  let sqld: Sqld;
  let stalled: Server;
  let stalledUrl: string;
  beforeAll(async () => {
    sqld = await startSqld();
    // Answers the protocol probe (no v3-protobuf: JSON), then takes every statement and never answers.
    stalled = createServer((req, res) => {
      if (req.method === "GET") res.writeHead(404).end();
    });
    const port = await freePort();
    await new Promise<void>((resolve) => stalled.listen(port, "127.0.0.1", resolve));
    stalledUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    stalled?.closeAllConnections();
    await new Promise((resolve) => stalled?.close(resolve));
    await sqld?.stop();
  });

  it("reads beside an open transaction instead of waiting for it", async () => {
    const db = openWebDatabase(sqld.url);
    await sql`CREATE TABLE side (k TEXT PRIMARY KEY)`.execute(db);
    const seen = await db.transaction().execute(async (tx) => {
      await sql`INSERT INTO side VALUES ('in-tx')`.execute(tx);
      // Behind a mutex this read waits for the transaction, which waits for the read: it never ends.
      const outside = sql<{ n: number }>`SELECT count(*) AS n FROM side`.execute(db).then((r) => r.rows[0]!.n);
      return Promise.race([outside, new Promise((resolve) => setTimeout(() => resolve("still waiting after 10 s"), 10_000))]);
    });
    expect(seen).toBe(0);
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM side`.execute(db);
    expect(rows).toEqual([{ n: 1 }]);
    await db.destroy();
  }, 20_000);

  it("fails each of four statements to a stalled database after its own deadline, not one after another", async () => {
    const deadlineMs = 1_000;
    const db = openWebDatabase(stalledUrl, undefined, { requestTimeoutMs: deadlineMs });
    const started = Date.now();
    const settled = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        sql`SELECT ${i}`.execute(db).then(
          () => ({ ok: true, ms: Date.now() - started }),
          (e: unknown) => ({ ok: false, ms: Date.now() - started, name: (e as Error).name }),
        ),
      ),
    );
    expect(settled.every((s) => !s.ok)).toBe(true);
    // In turns they would end after 1, 2, 3 and 4 s; side by side all end near the first deadline.
    expect(Math.max(...settled.map((s) => s.ms))).toBeLessThan(2.5 * deadlineMs);
    stalled.closeAllConnections();
    await db.destroy();
  }, 20_000);
});
