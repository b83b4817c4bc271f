// At a graceful shutdown the receipt run starts no new push, records the one in flight, and gives
// the receipts it claimed but did not push back at once (due as they were): the next start pushes
// them without waiting for their claim to lapse. A real loopback receiver verifies each push.
import { describe, expect, it } from "vitest";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { pushDueReceipts } from "../src/jobs/receipt-pump.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import { receiptEndpoint } from "./support/receipt-fixtures.ts";
import { must } from "./support/reply.ts";
import { CVR } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };

describe("the receipt run at shutdown", () => {
  it("gives back the receipts it claimed but had not pushed; the push in flight is recorded", async () => {
    const { r: systems, t, s } = await pushFixture();
    const ep = await receiptEndpoint(t, s.sender);
    const wall = Date.parse("2026-11-27T09:00:00Z");
    t.deps.wallClock = () => wall; // no lease can lapse: only a give-back frees a claim
    try {
      for (let i = 0; i < 3; i++)
        must(await t.call("POST", "/v1/messages", s.sender, memoFor(CVR, { contactPointId: s.cpOther.id }).xml, XML), 202);
      expect((await deliverDue(t.deps)).delivered).toBe(3);
      // The endpoint holds the first push until the shutdown has begun, then answers it.
      let stopNow!: () => void;
      const pushArrived = new Promise<void>((resolve) => (stopNow = resolve));
      let answer!: () => void;
      const held = new Promise<void>((resolve) => (answer = resolve));
      ep.r.set(ep.path, (_req, res) => {
        stopNow();
        void held.then(() => res.writeHead(204).end());
        return "handled";
      });
      // One push at a time: two receipts wait behind the first when the shutdown comes.
      const stopping = new AbortController();
      const running = pushDueReceipts(t.deps, await t.clock.now(), { batch: 40, concurrency: 1 }, stopping.signal);
      await pushArrived;
      stopping.abort();
      answer();
      expect(await running).toMatchObject({ claimed: 3, pushed: 1 });
      const rows = await t.db.selectFrom("sender_receipts").select(["pushed_at", "claim_token", "next_push_at"]).orderBy("seq").execute();
      expect(rows.filter((r) => r.pushed_at !== null)).toHaveLength(1);
      const unpushed = rows.filter((r) => r.pushed_at === null);
      expect(unpushed).toHaveLength(2);
      for (const r of unpushed) expect(r).toMatchObject({ claim_token: null, next_push_at: expect.any(String) });
      // The next start pushes them at once, at the same wall-clock instant.
      ep.r.set(ep.path, 204);
      expect(await pushDueReceipts(t.deps, await t.clock.now())).toMatchObject({ claimed: 2, pushed: 2 });
      expect(ep.received()).toHaveLength(3);
      expect(new Set(ep.received().map((r) => r.id)).size).toBe(3);
    } finally {
      await Promise.all([systems.close(), ep.r.close()]);
    }
  });
});
