import { beforeEach, describe, expect, it } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";
import { must } from "./support/reply.ts";
import { CVR, OPERATOR, createTestApp, seedAuthority, type TestApp } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };
let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
let pullKey: string;
let pullCp: string;
let pullId: string;

beforeEach(async () => {
  t = await createTestApp({ start: "2026-11-27T09:00:00Z" });
  s = await seedAuthority(t);
  const sys = await t.call("POST", `/v1/authorities/${CVR}/recipient-systems`, s.admin, {
    name: "pull",
    protocol: "REST_PULL",
    memoVersion: "1.2",
    technicalContact: { name: "T", email: "t@example.dk" },
    businessContactEmail: "b@example.dk",
  });
  pullId = sys.json.id;
  pullCp = (
    await t.call("POST", `/v1/authorities/${CVR}/contact-points`, s.admin, {
      name: "Pull CP",
      recipientSystemId: pullId,
      visible: true,
      audiences: ["authorities"],
    })
  ).json.id;
  pullKey = (
    await t.call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "recipient", recipientSystemId: pullId, label: "pull" })
  ).json.key;
});

async function send(): Promise<{ uuid: string; xml: string }> {
  const m = memoFor(CVR, { contactPointId: pullCp });
  const r = await t.call("POST", "/v1/messages", s.sender, m.xml, XML);
  expect(r.json.state).toBe("queued");
  return m;
}
/** Fetches a message (the step before its receipt). */
const fetchIt = async (uuid: string) => must(await t.call("GET", `/v1/recipient/messages/${uuid}`, pullKey), 200);
const waiting = async () =>
  (await t.call("GET", "/v1/recipient/messages", pullKey)).json.items.map((i: { messageUUID: string }) => i.messageUUID);

describe("pull delivery", () => {
  it("lists, fetches the original bytes, and a receipt delivers", async () => {
    const m = await send();
    expect(await waiting()).toEqual([m.uuid]);
    const fetched = await t.call("GET", `/v1/recipient/messages/${m.uuid}`, pullKey);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get("content-type")).toContain("application/xml");
    expect(fetched.text).toBe(m.xml);
    expect(await waiting()).toEqual([]);
    const r = await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, { status: "COMPLETED" });
    expect(r.json).toMatchObject({ state: "delivered", receipt: { status: "COMPLETED" } });
    expect((await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, { status: "COMPLETED" })).status).toBe(200);
    expect((await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, { status: "INVALID" })).status).toBe(409);
    const read = await t.call("GET", `/v1/messages/${m.uuid}`, s.admin);
    expect(read.json.state).toBe("delivered");
    const sys = await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${pullId}`, s.admin);
    expect(sys.json.lastDeliveredAt).not.toBeNull();
  });

  it("a fetched message without a receipt returns to waiting after the lease", async () => {
    // The lease runs on the wall clock (it guards a fetch in flight), so it is the wall clock that moves.
    let wall = Date.parse("2026-11-27T09:00:00Z");
    t.deps.wallClock = () => wall;
    const m = await send();
    await t.call("GET", `/v1/recipient/messages/${m.uuid}`, pullKey);
    expect(await waiting()).toEqual([]);
    wall = Date.parse("2026-11-27T09:11:00Z");
    expect(await waiting()).toEqual([m.uuid]);
  });

  it("advancing the simulated clock does not end a fetch's lease", async () => {
    const m = await send();
    await t.call("GET", `/v1/recipient/messages/${m.uuid}`, pullKey);
    expect(await waiting()).toEqual([]);
    t.clock.set("2026-11-27T10:00:00Z"); // an hour on: well past the ten-minute lease in domain time
    expect(await waiting()).toEqual([]);
  });

  it("INVALID and NOT_ALLOWED are recorded as the system's answer and never retried", async () => {
    const m = await send();
    await fetchIt(m.uuid);
    const r = await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, {
      status: "INVALID",
      errorCode: "E42",
      errorMessage: "cannot parse",
    });
    expect(r.json.receipt).toEqual({ status: "INVALID", error: "E42: cannot parse" });
    expect(r.status).toBe(200);
    const read = await t.call("GET", `/v1/messages/${m.uuid}`, s.admin);
    expect(read.json.receipt).toEqual({ status: "INVALID", error: "E42: cannot parse" });
    expect(read.json.attempts).toEqual([expect.objectContaining({ outcome: "rejected" })]);
    expect(read.json.nextAttemptAt).toBeNull();
    expect(await waiting()).toEqual([]);
  });

  it("a refusal without an error records none, and only the very same receipt may be sent again (another is 409, changing nothing)", async () => {
    const m = await send();
    await fetchIt(m.uuid);
    const bare = await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, { status: "INVALID" });
    expect(bare.status).toBe(200);
    expect(bare.json.receipt).toEqual({ status: "INVALID", error: null });
    const read = async () => (await t.call("GET", `/v1/messages/${m.uuid}`, s.admin)).json;
    const before = await read();
    expect(before.receipt).toEqual({ status: "INVALID", error: null });
    expect(before.attempts).toEqual([expect.objectContaining({ outcome: "rejected", error: null })]);
    const rejected = before.events.find((e: { type: string }) => e.type === "receipt_rejected");
    expect(rejected.data).toEqual({ receipt: "INVALID" });

    const again = await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, { status: "INVALID" });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(bare.json);
    for (const other of [
      { status: "INVALID", errorCode: "E99" },
      { status: "INVALID", errorMessage: "no" },
      { status: "NOT_ALLOWED" },
      { status: "RECEIVED" },
    ]) {
      const conflict = await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, other);
      expect(conflict.status).toBe(409);
      expect(conflict.headers.get("content-type")).toContain("application/problem+json");
      expect(conflict.json.code).toBe("already_receipted");
      expect(conflict.json.detail).toContain("receipted INVALID already");
    }
    expect(await read()).toEqual(before);
  });

  it("a refusal with an error: the same code and message again answer as before, another code is 409", async () => {
    const m = await send();
    const first = { status: "NOT_ALLOWED", errorCode: "E7", errorMessage: "not for us" };
    await fetchIt(m.uuid);
    const r = must(await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, first), 200);
    expect(r.receipt).toEqual({ status: "NOT_ALLOWED", error: "E7: not for us" });
    expect(must(await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, first), 200)).toEqual(r);
    const other = await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, { ...first, errorCode: "E8" });
    expect(other.status).toBe(409);
    expect(other.json.detail).toContain("NOT_ALLOWED (E7: not for us)");
  });

  it("a receipt is stamped with the domain clock: advanced by days, deliveredAt, the attempt, the event and the status follow it", async () => {
    const m = await send();
    must(await t.call("GET", `/v1/recipient/messages/${m.uuid}`, pullKey), 200);
    // The simulated clock runs three days ahead of the wall clock, which stays where it is.
    t.deps.wallClock = () => Date.parse("2026-11-27T09:00:05Z");
    t.clock.set("2026-11-30T12:00:00Z");
    const r = must(await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, { status: "RECEIVED" }), 200);
    expect(r.deliveredAt).toBe("2026-11-30T12:00:00.000Z");
    const read = (await t.call("GET", `/v1/messages/${m.uuid}`, s.admin)).json;
    expect(read.deliveredAt).toBe("2026-11-30T12:00:00.000Z");
    expect(read.attempts).toEqual([expect.objectContaining({ at: "2026-11-30T12:00:00.000Z", outcome: "delivered" })]);
    expect(read.events.find((e: { type: string }) => e.type === "delivered").at).toBe("2026-11-30T12:00:00.000Z");
    const sys = (await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${pullId}`, s.admin)).json;
    expect(sys.lastDeliveredAt).toBe("2026-11-30T12:00:00.000Z");
    // The sender's receipt is the outcome's, at the same domain time.
    const receipts = (await t.call("GET", "/v1/receipts", s.sender)).json.items;
    expect(receipts).toEqual([expect.objectContaining({ type: "business_receipt", messageUUID: m.uuid, at: "2026-11-30T12:00:00.000Z" })]);
  });

  it("another system's key, or a sender key, sees nothing", async () => {
    const m = await send();
    expect((await t.call("GET", `/v1/recipient/messages`, s.sender)).status).toBe(404);
    const pushMsg = memoFor(CVR);
    await t.call("POST", "/v1/messages", s.sender, pushMsg.xml, XML);
    expect((await t.call("GET", `/v1/recipient/messages/${pushMsg.uuid}`, pullKey)).status).toBe(404);
    expect((await t.call("POST", `/v1/recipient/messages/${pushMsg.uuid}/receipt`, pullKey, { status: "RECEIVED" })).status).toBe(404);
    expect((await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pullKey, { status: "MAYBE" })).status).toBe(422);
  });

  it("post nobody fetches counts as failed after an hour and starts the system's clocks", async () => {
    await send();
    t.clock.set("2026-11-27T09:59:00Z");
    await t.deps.runJobs(await t.clock.now());
    let status = (await t.call("GET", `/v1/authorities/${CVR}/status`, s.admin)).json.systems.find((x: { id: string }) => x.id === pullId);
    expect(status.failingSince).toBeNull();
    t.clock.set("2026-11-27T10:01:00Z");
    await t.deps.runJobs(await t.clock.now());
    status = (await t.call("GET", `/v1/authorities/${CVR}/status`, s.admin)).json.systems.find((x: { id: string }) => x.id === pullId);
    expect(status).toMatchObject({ failingSince: "2026-11-27T10:01:00.000Z", undelivered: 1, nextStep: { kind: "warning_day2" } });
  });
});
