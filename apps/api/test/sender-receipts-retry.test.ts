// Receipts back to the sender (issue 12 §2), when the sender's endpoint fails: a refused
// connection or a 500 is retried on the delivery retry schedule (injected time, no sleeping), and
// given up after its ten tries (it stays in the feed); an endpoint that never answers holds only
// the receipt job, while deliveries to recipient systems go on; two instances sharing one libSQL
// file push every receipt once.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { RETRY_DELAYS_MS } from "@postvej/core/delivery";
import { openNodeDatabase } from "@postvej/db/node";
import { describe, expect, it, vi } from "vitest";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { pushDueReceipts } from "../src/jobs/receipt-pump.ts";
import { createRuntime } from "../src/runtime.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import { receiptEndpoint, wholeFeed } from "./support/receipt-fixtures.ts";
import { must } from "./support/reply.ts";
import { CVR, type TestApp } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };

async function sendDelivered(t: TestApp, sender: string, contactPointId: string, n = 1) {
  for (let i = 0; i < n; i++) must(await t.call("POST", "/v1/messages", sender, memoFor(CVR, { contactPointId }).xml, XML), 202);
  expect((await deliverDue(t.deps)).delivered).toBe(n);
}

describe("a failing receipt endpoint", () => {
  it("is retried on the delivery schedule, then given up; a 2xx in between ends it", async () => {
    const { r: systems, t, s } = await pushFixture();
    const ep = await receiptEndpoint(t, s.sender);
    try {
      ep.r.set(ep.path, 500);
      await sendDelivered(t, s.sender, s.cpOther.id);
      const start = (await t.clock.now()).getTime();
      let at = start;
      // random() is 0.5: each delay is the schedule's own. Just before it nothing is due; at it, the next try.
      for (let attempt = 1; attempt <= RETRY_DELAYS_MS.length + 1; attempt++) {
        if (attempt > 1) {
          const delay = RETRY_DELAYS_MS[attempt - 2]!;
          t.clock.set(new Date(at + delay - 1000).toISOString());
          expect(await pushDueReceipts(t.deps, await t.clock.now())).toMatchObject({ claimed: 0 });
          at += delay;
          t.clock.set(new Date(at).toISOString());
        }
        if (attempt === 4) ep.r.set(ep.path, 204);
        const report = await pushDueReceipts(t.deps, await t.clock.now());
        expect(report.claimed).toBe(1);
        if (attempt === 4) {
          expect(report).toMatchObject({ pushed: 1 });
          break;
        }
        expect(report).toMatchObject({ failed: 1 });
        expect((await wholeFeed(t, s.sender))[0]!.push).toEqual({ state: "pending", attempts: attempt, at: null });
      }
      expect(ep.r.hits.filter((h) => h.path === ep.path).map((h) => h.status)).toEqual([500, 500, 500, 204]);
      expect((await wholeFeed(t, s.sender))[0]!.push).toEqual({ state: "pushed", attempts: 4, at: new Date(at).toISOString() });

      // A refused connection, all ten tries: then it is given up and stays in the feed.
      await ep.r.close();
      await sendDelivered(t, s.sender, s.cpOther.id);
      for (let attempt = 1; attempt <= RETRY_DELAYS_MS.length + 1; attempt++) {
        if (attempt > 1) {
          at += RETRY_DELAYS_MS[attempt - 2]!;
          t.clock.set(new Date(at).toISOString());
        }
        const report = await pushDueReceipts(t.deps, await t.clock.now());
        expect(report).toMatchObject(attempt <= RETRY_DELAYS_MS.length ? { claimed: 1, failed: 1 } : { claimed: 1, gaveUp: 1 });
      }
      t.clock.set(new Date(at + 86_400_000).toISOString());
      expect(await pushDueReceipts(t.deps, await t.clock.now())).toMatchObject({ claimed: 0 });
      const feed = await wholeFeed(t, s.sender);
      expect(feed[1]!.push).toEqual({ state: "gave_up", attempts: 10, at: new Date(at).toISOString() });
      const row = await t.db
        .selectFrom("sender_receipts")
        .select("last_push_error")
        .where("id", "=", feed[1]!.id)
        .executeTakeFirstOrThrow();
      expect(row.last_push_error).toBe("connection_refused");
    } finally {
      await systems.close();
    }
  });

  it("that never answers holds only the receipt job: a delivery in the same tick goes out meanwhile", async () => {
    const { r: systems, t, s } = await pushFixture();
    // The sender's endpoint takes the request and keeps it until the test lets it go.
    const held: ServerResponse[] = [];
    let heldOne!: () => void;
    const arrived = new Promise<void>((resolve) => (heldOne = resolve));
    const hanging = createServer((_req, res) => {
      held.push(res);
      heldOne();
    });
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    try {
      const port = (hanging.address() as AddressInfo).port;
      must(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: `http://127.0.0.1:${port}/receipts` }), 201);
      await sendDelivered(t, s.sender, s.cpOther.id);
      // A message the tick's delivery run will push (made due without kicking a run now).
      const m = memoFor(CVR, { contactPointId: s.cpPrimary.id });
      must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
      let tickDone = false;
      const tick = t.deps.runJobs(await t.clock.now()).then((r) => ((tickDone = true), r as Record<string, unknown>));
      await arrived;
      // The receipt push hangs (until released below); the delivery is pushed and recorded regardless.
      await vi.waitFor(async () => expect(must(await t.call("GET", `/v1/messages/${m.uuid}`, s.sender), 200).state).toBe("delivered"), {
        timeout: 10_000,
        interval: 10,
      });
      expect(systems.delivered("/primary").has(m.uuid)).toBe(true);
      expect(tickDone).toBe(false);
      expect(held).toHaveLength(1);
      held[0]!.writeHead(503).end();
      const report = await tick;
      expect(report.deliveries).toMatchObject({ claimed: 1 });
      expect(report.receipts).toMatchObject({ claimed: 1, failed: 1 });
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
      await systems.close();
    }
  });
});

describe("two instances sharing one libSQL file", () => {
  it("running the receipt job at the same moment push every receipt exactly once", async () => {
    const { r: systems, t, s } = await pushFixture();
    const ep = await receiptEndpoint(t, s.sender);
    try {
      await sendDelivered(t, s.sender, s.cpOther.id, 30);
      const db = await openNodeDatabase(`file:${join(t.dir, "api.db")}`);
      const second = createRuntime({ db, config: t.deps.config, clock: t.clock, mail: t.deps.mail });
      const now = await t.clock.now();
      const limits = { batch: 40, concurrency: 8 };
      const [a, b] = await Promise.all([pushDueReceipts(t.deps, now, limits), pushDueReceipts(second, now, limits)]);
      expect(a.claimed + b.claimed).toBe(30);
      expect(a.pushed + b.pushed).toBe(30);
      const ids = ep.r.hits.filter((h) => h.path === ep.path).map((h) => h.uuid);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      expect(ep.r.badSignatures).toEqual([]);
      expect((await wholeFeed(t, s.sender)).every((f) => f.push.state === "pushed")).toBe(true);
      await db.destroy();
    } finally {
      await Promise.all([systems.close(), ep.r.close()]);
    }
  });
});
