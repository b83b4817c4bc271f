import { beforeEach, describe, expect, it } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";
import { must } from "./support/reply.ts";
import { CVR, addPullSystem, createTestApp, seedAuthority, type TestApp } from "./support/test-app.ts";

// The pull protocol is list → fetch → receipt: a receipt answers a fetch.
const XML = { "content-type": "application/xml" };
let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
let pull: Awaited<ReturnType<typeof addPullSystem>>;
let wall: number;

beforeEach(async () => {
  t = await createTestApp({ start: "2026-11-27T09:00:00Z" });
  wall = Date.parse("2026-11-27T09:00:00Z");
  t.deps.wallClock = () => wall;
  s = await seedAuthority(t);
  pull = await addPullSystem(t, s.admin);
});

async function send(): Promise<string> {
  const m = memoFor(CVR, { contactPointId: pull.contactPoint.id });
  must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
  return m.uuid;
}
const receipt = (uuid: string, body: object = { status: "RECEIVED" }) =>
  t.call("POST", `/v1/recipient/messages/${uuid}/receipt`, pull.key, body);
const fetchIt = async (uuid: string) => must(await t.call("GET", `/v1/recipient/messages/${uuid}`, pull.key), 200);
const waiting = async () =>
  must(await t.call("GET", "/v1/recipient/messages", pull.key), 200).items.map((i: { messageUUID: string }) => i.messageUUID);
const trace = async (uuid: string) => must(await t.call("GET", `/v1/messages/${uuid}`, s.admin), 200);

describe("a pull receipt answers a fetch", () => {
  it("a waiting message this system never fetched takes no receipt: 404, and it stays queued in the list, with no attempt and no sender receipt", async () => {
    const uuid = await send();
    const before = await trace(uuid);
    for (const body of [{ status: "RECEIVED" }, { status: "COMPLETED" }, { status: "INVALID", errorCode: "E1" }]) {
      const r = await receipt(uuid, body);
      expect(r.status).toBe(404);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect(r.json.detail).toContain("not fetched by this system");
    }
    expect(await trace(uuid)).toEqual(before);
    expect(before.state).toBe("queued");
    expect(await waiting()).toEqual([uuid]);
    expect(must(await t.call("GET", "/v1/receipts", s.sender), 200).items.map((r: { type: string }) => r.type)).not.toContain(
      "business_receipt",
    );
    // Fetched, the same receipt delivers it.
    await fetchIt(uuid);
    expect(must(await receipt(uuid), 200)).toMatchObject({ state: "delivered", receipt: { status: "RECEIVED" } });
  });

  it("a fetch whose ten-minute hold has lapsed still takes its receipt, also while the message is back in the list", async () => {
    const uuid = await send();
    await fetchIt(uuid);
    wall += 11 * 60_000;
    expect(await waiting()).toEqual([uuid]);
    expect(must(await receipt(uuid, { status: "COMPLETED" }), 200).state).toBe("delivered");
    expect(await waiting()).toEqual([]);
  });

  it("a redelivery puts the message back in the list: the receipt then answers the next fetch", async () => {
    const uuid = await send();
    await fetchIt(uuid);
    must(await t.call("POST", `/v1/messages/${uuid}/redeliver`, s.admin), 202);
    expect(await waiting()).toEqual([uuid]);
    expect((await receipt(uuid)).status).toBe(404);
    await fetchIt(uuid);
    expect(must(await receipt(uuid), 200).state).toBe("delivered");
  });

  it("a deactivated system fetches nothing more: its fetch within the hold keeps its receipt, but no re-fetch extends the hold", async () => {
    const uuid = await send();
    await fetchIt(uuid);
    must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${pull.system.id}/deactivate`, s.admin), 200);
    expect(await waiting()).toEqual([]);
    expect((await t.call("GET", `/v1/recipient/messages/${uuid}`, pull.key)).status).toBe(404);
    expect(must(await receipt(uuid), 200).state).toBe("delivered");
  });

  it("at a deactivated system a lapsed fetch hold puts nothing back in the list: the message moves on, and takes no receipt there", async () => {
    const uuid = await send();
    await fetchIt(uuid);
    must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${pull.system.id}/deactivate`, s.admin), 200);
    wall += 11 * 60_000;
    expect(await waiting()).toEqual([]);
    expect((await t.call("GET", `/v1/recipient/messages/${uuid}`, pull.key)).status).toBe(404);
    await t.deps.runJobs(await t.clock.now());
    expect((await trace(uuid)).custodian).toMatchObject({ recipientSystemId: s.primary.id });
    expect((await receipt(uuid)).status).toBe(404);
  });
});
