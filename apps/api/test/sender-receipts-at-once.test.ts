// Receipts to senders at once on Node (issue 12 §2: "a technical one at once"): the Node server's
// delivery pump kicks the receipt pump after every run that made outcomes, and the requests that
// make an outcome themselves (a pull receipt, a recall) kick it too. No tick runs here: had the
// receipts waited for the scheduler, the sender's endpoint would have heard nothing.
import { describe, expect, it } from "vitest";
import { deliveryPump, receiptPump } from "../src/jobs/delivery-pump.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import { receiptEndpoint } from "./support/receipt-fixtures.ts";
import { must } from "./support/reply.ts";
import { addPullSystem, CVR } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };

/** The test app wired as the Node server wires its pumps (node/main.ts), with a way to wait for both to be idle. */
async function nodeLike() {
  const f = await pushFixture();
  const receipts = receiptPump(f.t.deps);
  let receiptKicks = 0;
  let receiptRun: Promise<void> = Promise.resolve();
  f.t.deps.kickReceipts = () => {
    receiptKicks++;
    receiptRun = receipts();
  };
  const deliveries = deliveryPump(f.t.deps, f.t.deps.kickReceipts);
  f.t.deps.kickDeliveries = () => deliveries();
  // Waits for what the kicks started, and starts nothing itself: receipts go out only if kicked.
  const idle = async () => {
    await deliveries();
    await receiptRun;
  };
  return { ...f, idle, kicks: () => receiptKicks };
}

describe("receipts to the sender go out at once on Node", () => {
  it("a push delivery's receipt reaches the sender with no scheduler tick", async () => {
    const { r, t, s, idle, kicks } = await nodeLike();
    const ep = await receiptEndpoint(t, s.sender);
    try {
      const m = memoFor(CVR, { contactPointId: s.cpOther.id });
      must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
      await idle();
      expect(r.bodies.filter((b) => b.path === "/other")).toHaveLength(1);
      expect(kicks()).toBeGreaterThan(0);
      expect(ep.received()).toMatchObject([{ type: "delivered", messageUUID: m.uuid, recipientSystemId: s.other.id }]);
      expect(ep.r.badSignatures).toEqual([]);
    } finally {
      await ep.r.close();
      await r.close();
    }
  });

  it("a pull receipt and a recall kick the receipt pump themselves", async () => {
    const { r, t, s, idle, kicks } = await nodeLike();
    const ep = await receiptEndpoint(t, s.sender);
    try {
      const pull = await addPullSystem(t, s.admin);
      const pulled = memoFor(CVR, { contactPointId: pull.contactPoint.id });
      must(await t.call("POST", "/v1/messages", s.sender, pulled.xml, XML), 202);
      must(await t.call("GET", `/v1/recipient/messages/${pulled.uuid}`, pull.key), 200);
      const before = kicks();
      must(await t.call("POST", `/v1/recipient/messages/${pulled.uuid}/receipt`, pull.key, { status: "COMPLETED" }), 200);
      expect(kicks()).toBe(before + 1);
      const held = memoFor(CVR, { contactPointId: s.cpOther.id, valueDate: "2026-12-05" });
      must(await t.call("POST", "/v1/messages", s.sender, held.xml, XML), 202);
      must(await t.call("POST", `/v1/messages/${held.uuid}/recall`, s.sender), 200);
      expect(kicks()).toBe(before + 2);
      await idle();
      const got = ep.received();
      expect(got.map((g) => [g.type, g.messageUUID]).sort()).toEqual(
        [
          ["business_receipt", pulled.uuid],
          ["recalled", held.uuid],
        ].sort(),
      );
    } finally {
      await ep.r.close();
      await r.close();
    }
  });
});
