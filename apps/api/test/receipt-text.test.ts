// A recipient system's business receipt text (a push's 2xx JSON or a pull receipt) is stored as a
// support person can read it safely: no control or bidi characters, no lone surrogate, bounded; a
// malformed receipt body never makes a 2xx delivery fail or come again.
import { describe, expect, it } from "vitest";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import { must } from "./support/reply.ts";
import { addPullSystem, CVR, type TestApp } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };

async function send(t: TestApp, sender: string, contactPointId: string) {
  const m = memoFor(CVR, { contactPointId });
  must(await t.call("POST", "/v1/messages", sender, m.xml, XML), 202);
  return m.uuid;
}

describe("the text of a business receipt", () => {
  it("a push's 2xx refusal with control characters, escapes, a lone surrogate and too many characters is stored readable and bounded, delivered once", async () => {
    const { r: systems, t, s } = await pushFixture();
    try {
      // Written by hand: JSON.stringify would not write the lone surrogate's escape as a receiver's buggy code can.
      const body = `{"receiptStatus":"INVALID","errorCode":"\\u0000E\\u001b[31m17\\r\\n","errorMessage":"ukendt\\u202e \\ud800modtager ${"x".repeat(600)}"}`;
      systems.set("/primary", (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(body));
      const uuid = await send(t, s.sender, s.cpPrimary.id);
      expect((await deliverDue(t.deps)).delivered).toBe(1);
      const read = must(await t.call("GET", `/v1/messages/${uuid}`, s.admin), 200);
      const error: string = read.receipt.error;
      expect(read).toMatchObject({ state: "delivered", receipt: { status: "INVALID" } });
      expect(error.startsWith("E [31m17: ukendt  \uFFFDmodtager xxx")).toBe(true);
      expect(error).not.toMatch(/[\p{Cc}\u202e]|\p{Cs}/u);
      expect(Array.from(error.split(": ")[1]!)).toHaveLength(500);
      expect(read.attempts).toEqual([expect.objectContaining({ outcome: "rejected", statusCode: 200, error })]);
      expect(read.events.find((e: { type: string }) => e.type === "receipt_rejected").data).toMatchObject({ error });
      const feed = must(await t.call("GET", "/v1/receipts", s.sender), 200).items;
      expect(feed).toEqual([expect.objectContaining({ messageUUID: uuid, receipt: { status: "INVALID", error } })]);
      // Answered, it is never pushed again.
      t.clock.set("2026-11-28T09:00:00Z");
      expect((await deliverDue(t.deps)).delivered).toBe(0);
      expect(systems.hits.filter((h) => h.uuid === uuid)).toHaveLength(1);
    } finally {
      await systems.close();
    }
  });

  it("a 2xx whose JSON receipt is broken, of the wrong shape or all control characters is a plain delivery, once", async () => {
    const { r: systems, t, s } = await pushFixture();
    try {
      const bodies = [
        '{"receiptStatus":"INVALID","errorCode":"\\ud83d',
        '{"receiptStatus":["INVALID"]}',
        '{"receiptStatus":"INVALID","errorCode":{"x":1},"errorMessage":"\\u0000\\u0001"}',
        "\u00ff\u00fe{",
      ];
      const uuids: string[] = [];
      for (const body of bodies) {
        systems.set("/primary", (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(body));
        uuids.push(await send(t, s.sender, s.cpPrimary.id));
        expect((await deliverDue(t.deps)).delivered, body).toBe(1);
      }
      const answers = await Promise.all(uuids.map(async (u) => must(await t.call("GET", `/v1/messages/${u}`, s.admin), 200)));
      expect(answers.map((a) => a.state)).toEqual(["delivered", "delivered", "delivered", "delivered"]);
      expect(answers.map((a) => a.receipt)).toEqual([null, null, { status: "INVALID", error: null }, null]);
      expect(systems.hits).toHaveLength(4);
    } finally {
      await systems.close();
    }
  });

  it("a pull receipt's control characters are stored readable, and the same receipt again is the same receipt", async () => {
    const { r: systems, t, s } = await pushFixture();
    try {
      const pull = await addPullSystem(t, s.admin);
      const uuid = await send(t, s.sender, pull.contactPoint.id);
      must(await t.call("GET", `/v1/recipient/messages/${uuid}`, pull.key), 200);
      const receipt = { status: "NOT_ALLOWED", errorCode: "E\t7", errorMessage: "line one\nline two\u0007" };
      const r = must(await t.call("POST", `/v1/recipient/messages/${uuid}/receipt`, pull.key, receipt), 200);
      expect(r.receipt).toEqual({ status: "NOT_ALLOWED", error: "E 7: line one line two" });
      expect(must(await t.call("POST", `/v1/recipient/messages/${uuid}/receipt`, pull.key, receipt), 200)).toEqual(r);
    } finally {
      await systems.close();
    }
  });
});
