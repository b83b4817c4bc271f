// Two intake groups in flight at once on a remote database (real sqld), the way the Node server
// writes on one: each group is one batch of its own, the database orders them.
import { createServer, type Server } from "node:http";
import { migrateToLatest, type Database, type MessagesTable, type NewEvent } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startSqld, type Sqld } from "../../../packages/db/test/sqld.ts";
import { newVirkRow } from "../../../packages/db/test/virk-fixtures.ts";
import { groupCommitStore } from "../src/services/intake-writer.ts";
import { CVR } from "./support/test-app.ts";

const T = "2026-12-01T09:00:00.000Z";

function message(uuid: string): [MessagesTable, NewEvent[]] {
  const body = new TextEncoder().encode(`<x>${uuid}</x>`);
  const row = newVirkRow(uuid, body, T);
  return [row, [{ authorityCvr: CVR, at: T, type: "received", messageUuid: uuid }]];
}

/**
 * A pass-through proxy in front of sqld that holds the first batch inserting messages until a
 * second one arrives (or `holdMs` pass), then lets both go (or answers the first with a 502, `failFirst`);
 * it notes the most intake batches it saw in flight at once.
 */
async function gate(target: string, o: { failFirst?: boolean; holdMs?: number } = {}) {
  let inFlight = 0;
  let most = 0;
  let release: (() => void) | undefined;
  let seen = 0;
  let arrived!: () => void;
  const firstArrived = new Promise<void>((ok) => (arrived = ok));
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const intake = body.toString("latin1").includes('insert into "messages"');
    let fail = false;
    if (intake) {
      inFlight++;
      most = Math.max(most, inFlight);
      if (++seen === 1) {
        arrived();
        await new Promise<void>((ok) => {
          release = ok;
          setTimeout(ok, o.holdMs ?? 5_000);
        });
        fail = o.failFirst === true;
      } else release?.();
    }
    try {
      if (fail) return void res.writeHead(502).end("held and failed");
      const answer = await fetch(new URL(req.url!, target), {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === "GET" ? undefined : body,
      });
      res
        .writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/octet-stream" })
        .end(Buffer.from(await answer.arrayBuffer()));
    } finally {
      if (intake) inFlight--;
    }
  });
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${port}`,
    firstArrived,
    most: () => most,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

describe("group commit with two groups in flight, on sqld", () => {
  let sqld: Sqld;
  beforeAll(async () => {
    sqld = await startSqld();
    const db = await openNodeDatabase(sqld.url);
    await migrateToLatest(db);
    await db.insertInto("authorities").values({ cvr: CVR, name: "Test", created_at: T }).execute();
    await db.destroy();
  });
  afterAll(async () => {
    await sqld?.stop();
  });

  const storedUuids = async (db: Kysely<Database>) => (await db.selectFrom("messages").select("uuid").execute()).map((m) => m.uuid).sort();

  it("a UUID in two groups in flight at once is stored once: one answers stored, the other stored already", async () => {
    const g = await gate(sqld.url);
    const db = await openNodeDatabase(g.url);
    try {
      const store = groupCommitStore(db, 200, 2);
      const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
      const first = [store(...message(a)), store(...message(b))];
      await g.firstArrived; // the first group is at the database; the next store starts a second one beside it
      const second = [store(...message(a)), store(...message(c))];
      const [[a1, b1], [a2, c2]] = await Promise.all([Promise.all(first), Promise.all(second)]);
      expect(g.most()).toBe(2);
      expect([a1, a2].sort()).toEqual([false, true]);
      expect([b1, c2]).toEqual([true, true]);
      const mine = (await storedUuids(db)).filter((u) => ([a, b, c] as string[]).includes(u));
      expect(mine).toEqual([a, b, c].sort());
      const received = await db.selectFrom("events").select("message_uuid").where("message_uuid", "=", a).execute();
      expect(received).toHaveLength(1);
    } finally {
      await db.destroy();
      await g.close();
    }
  });

  it("a group that fails fails only its own requests; the one beside it is stored, and the writer goes on", async () => {
    const g = await gate(sqld.url, { failFirst: true });
    const db = await openNodeDatabase(g.url);
    try {
      const store = groupCommitStore(db, 200, 2);
      const [a, b, c, d] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
      const failing = [store(...message(a)), store(...message(b))].map((p) =>
        p.then(
          () => "stored",
          () => "failed",
        ),
      );
      await g.firstArrived;
      const beside = [store(...message(c))];
      expect(await Promise.all(failing)).toEqual(["failed", "failed"]);
      expect(await Promise.all(beside)).toEqual([true]);
      expect(g.most()).toBe(2);
      expect(await store(...message(d))).toBe(true);
      const mine = (await storedUuids(db)).filter((u) => ([a, b, c, d] as string[]).includes(u));
      expect(mine).toEqual([c, d].sort());
    } finally {
      await db.destroy();
      await g.close();
    }
  });

  it("with one group in flight (an embedded file's setting) the second waits for the first", async () => {
    // The first is held half a second for a second batch that must not come.
    const g = await gate(sqld.url, { holdMs: 500 });
    const db = await openNodeDatabase(g.url);
    try {
      const store = groupCommitStore(db, 200, 1);
      const first = store(...message(crypto.randomUUID()));
      await g.firstArrived;
      const second = store(...message(crypto.randomUUID()));
      expect(await Promise.all([first, second])).toEqual([true, true]);
      expect(g.most()).toBe(1);
    } finally {
      await db.destroy();
      await g.close();
    }
  });
});
