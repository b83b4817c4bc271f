// Receipts back to the sender (issue 12 §2), pushed: each message outcome of a sender key's post
// makes one receipt (delivered, in_virk, relocated, recalled, the recipient's business receipt),
// pushed by the receipt job to the key's endpoint on a real loopback receiver that verifies the
// Standard Webhooks signature with the endpoint's own secret; webhook-id is the receipt's id.
import { SenderReceipt } from "@postvej/contract";
import { describe, expect, it } from "vitest";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { pushDueReceipts } from "../src/jobs/receipt-pump.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import { receiptEndpoint, wholeFeed } from "./support/receipt-fixtures.ts";
import { submit, virkWorld } from "./support/relocation-fixtures.ts";
import { must } from "./support/reply.ts";
import { addPullSystem, CVR, type TestApp } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };

async function send(t: TestApp, sender: string, contactPointId: string | null, valueDate?: string) {
  const m = memoFor(CVR, { contactPointId, ...(valueDate ? { valueDate } : {}) });
  must(await t.call("POST", "/v1/messages", sender, m.xml, XML), 202);
  return m.uuid;
}

describe("receipts pushed to the sender", () => {
  it("relays a delivery, a recall and the recipient's business receipts, each once, signed with the endpoint's secret", async () => {
    const { r: systems, t, s } = await pushFixture();
    const ep = await receiptEndpoint(t, s.sender);
    try {
      // "other" answers a plain 204; "primary" answers with a business receipt in its 2xx.
      let answer: object = { receiptStatus: "COMPLETED" };
      systems.set("/primary", (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer)));
      const plain = await send(t, s.sender, s.cpOther.id);
      const completed = await send(t, s.sender, s.cpPrimary.id);
      expect((await deliverDue(t.deps)).delivered).toBe(2);
      answer = { receiptStatus: "INVALID", errorCode: "E17", errorMessage: "ukendt modtager" };
      const invalid = await send(t, s.sender, s.cpPrimary.id);
      expect((await deliverDue(t.deps)).delivered).toBe(1);
      const held = await send(t, s.sender, s.cpOther.id, "2026-12-05");
      must(await t.call("POST", `/v1/messages/${held}/recall`, s.sender), 200);

      // The refusal is an answer: recorded like a pull receipt, never retried.
      const refused = must(await t.call("GET", `/v1/messages/${invalid}`, s.sender), 200);
      expect(refused).toMatchObject({ state: "delivered", receipt: { status: "INVALID", error: "E17: ukendt modtager" } });
      expect(refused.attempts).toMatchObject([{ outcome: "rejected", statusCode: 200, error: "E17: ukendt modtager" }]);
      expect(refused.events.map((e: { type: string }) => e.type)).toContain("receipt_rejected");
      t.clock.set("2026-11-28T09:00:00Z");
      expect((await deliverDue(t.deps)).delivered).toBe(0);
      expect(must(await t.call("GET", `/v1/messages/${completed}`, s.sender), 200).receipt).toMatchObject({ status: "COMPLETED" });

      expect(await pushDueReceipts(t.deps, await t.clock.now())).toMatchObject({ claimed: 4, pushed: 4 });
      const got = ep.received();
      expect(ep.r.badSignatures).toEqual([]);
      // Each push's body is the documented SenderReceipt, nothing more.
      for (const g of got) expect(SenderReceipt.strict().safeParse(g).success).toBe(true);
      const byMessage = new Map(got.map((g) => [g.messageUUID, g]));
      expect(byMessage.get(plain)).toMatchObject({
        type: "delivered",
        recipientSystemId: s.other.id,
        receipt: null,
        at: "2026-11-27T09:00:00.000Z",
      });
      expect(byMessage.get(completed)).toMatchObject({
        type: "business_receipt",
        recipientSystemId: s.primary.id,
        receipt: { status: "COMPLETED", error: null },
      });
      expect(byMessage.get(invalid)).toMatchObject({
        type: "business_receipt",
        recipientSystemId: s.primary.id,
        receipt: { status: "INVALID", error: "E17: ukendt modtager" },
      });
      expect(byMessage.get(held)).toMatchObject({ type: "recalled", recipientSystemId: null });
      // webhook-id is the receipt's id, and the feed holds the very same receipts, pushed.
      const hits = ep.r.hits.filter((h) => h.path === ep.path);
      expect(hits.map((h) => h.uuid)).toEqual(got.map((g) => g.id));
      for (const g of got) expect(g.id).toMatch(/^rct_[0-9a-f]{20}$/);
      // (Pushed a few at a time, they may arrive in any order; the feed has the order they were made in.)
      const feed = await wholeFeed(t, s.sender);
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      expect(feed.map(({ push: _push, ...rest }) => rest).sort(byId)).toEqual([...got].sort(byId));
      // The first two were delivered in one run, to two systems at once: either may be recorded first.
      expect(new Set(feed.slice(0, 2).map((f) => f.messageUUID))).toEqual(new Set([plain, completed]));
      expect(feed.slice(2).map((f) => f.messageUUID)).toEqual([invalid, held]);
      expect(feed.every((f) => f.push.state === "pushed" && f.push.attempts === 1)).toBe(true);

      // Nothing is relayed twice: another run finds nothing due.
      expect(await pushDueReceipts(t.deps, await t.clock.now())).toMatchObject({ claimed: 0 });
      expect(ep.received()).toHaveLength(4);
    } finally {
      await Promise.all([systems.close(), ep.r.close()]);
    }
  });

  it("keeps pushing a revoked key's receipts to its endpoint, while its feed answers 401", async () => {
    const { r: systems, t, s } = await pushFixture();
    const ep = await receiptEndpoint(t, s.sender);
    try {
      const uuid = await send(t, s.sender, s.cpOther.id);
      const keys = must(await t.call("GET", `/v1/authorities/${CVR}/api-keys`, s.admin), 200).items as { id: string; label: string }[];
      const senderId = keys.find((k) => k.label === "sender")!.id;
      must(await t.call("DELETE", `/v1/authorities/${CVR}/api-keys/${senderId}`, s.admin), 200);
      expect((await t.call("GET", "/v1/receipts", s.sender)).status).toBe(401);
      expect((await deliverDue(t.deps)).delivered).toBe(1);
      expect(await pushDueReceipts(t.deps, await t.clock.now())).toMatchObject({ pushed: 1 });
      expect(ep.received()).toMatchObject([{ type: "delivered", messageUUID: uuid }]);
    } finally {
      await Promise.all([systems.close(), ep.r.close()]);
    }
  });

  it("relays a pull system's business receipt", async () => {
    const { r: systems, t, s } = await pushFixture();
    const ep = await receiptEndpoint(t, s.sender);
    try {
      const pull = await addPullSystem(t, s.admin);
      const uuid = await send(t, s.sender, pull.contactPoint.id);
      must(await t.call("GET", `/v1/recipient/messages/${uuid}`, pull.key), 200);
      must(await t.call("POST", `/v1/recipient/messages/${uuid}/receipt`, pull.key, { status: "NOT_ALLOWED", errorCode: "X" }), 200);
      // The same receipt again is a no-op: no second receipt.
      must(await t.call("POST", `/v1/recipient/messages/${uuid}/receipt`, pull.key, { status: "NOT_ALLOWED", errorCode: "X" }), 200);
      expect(await pushDueReceipts(t.deps, await t.clock.now())).toMatchObject({ claimed: 1, pushed: 1 });
      expect(ep.received()).toMatchObject([
        { type: "business_receipt", messageUUID: uuid, recipientSystemId: pull.system.id, receipt: { status: "NOT_ALLOWED", error: "X" } },
      ]);
    } finally {
      await Promise.all([systems.close(), ep.r.close()]);
    }
  });

  it("relays landing in Virk and the relocation out of it", async () => {
    const w = await virkWorld();
    const ep = await receiptEndpoint(w.t, w.sender);
    try {
      const [uuid] = await submit(w, 1);
      const rel = must(
        await w.t.call("POST", `/v1/authorities/${CVR}/relocations`, w.admin, {
          selection: { messageUUIDs: [uuid] },
          targetContactPointId: w.cpOther.id,
          preferOriginal: false,
          dryRun: false,
        }),
        202,
      );
      expect(await pushDueReceipts(w.t.deps, await w.t.clock.now())).toMatchObject({ claimed: 2, pushed: 2 });
      expect(ep.received().sort((a, b) => (a.type < b.type ? -1 : 1))).toMatchObject([
        { type: "in_virk", messageUUID: uuid, recipientSystemId: null, reason: expect.any(String) },
        { type: "relocated", messageUUID: uuid, recipientSystemId: w.other.id, relocationId: rel.id },
      ]);
    } finally {
      await ep.r.close();
    }
  });
});
