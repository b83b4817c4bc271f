import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";
import { must } from "./support/reply.ts";
import { createTestApp, CVR, seedAuthority, type TestApp } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };

describe("deactivating a system counts the held post it moves on", () => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof seedAuthority>>;
  beforeEach(async () => {
    t = await createTestApp({ start: "2026-11-27T09:00:00Z" });
    s = await seedAuthority(t);
  });
  afterEach(async () => {
    await t.db.destroy();
  });

  it("moves queued and held post to the primary, counts both, and the held one stays held", async () => {
    const queued = memoFor(CVR, { contactPointId: s.cpOther.id });
    const held = memoFor(CVR, { contactPointId: s.cpOther.id, valueDate: "2026-12-01" });
    must(await t.call("POST", "/v1/messages", s.sender, queued.xml, XML), 202);
    expect(must(await t.call("POST", "/v1/messages", s.sender, held.xml, XML), 202)).toMatchObject({ state: "held" });

    const off = must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/deactivate`, s.admin), 200);
    expect(off).toMatchObject({ state: "deactivated", moved: 2, destination: { kind: "primary", systemId: s.primary.id } });

    const log = must(await t.call("GET", `/v1/authorities/${CVR}/events?type=system_deactivated`, s.admin), 200);
    expect(log.items.map((e: { data: { moved: number } }) => e.data.moved)).toEqual([2]);
    const h = must(await t.call("GET", `/v1/messages/${held.uuid}`, s.sender), 200);
    expect(h).toMatchObject({ state: "held", custodian: { kind: "recipient_system", recipientSystemId: s.primary.id } });
    expect(h.events.filter((e: { type: string }) => e.type === "rerouted")).toHaveLength(1);
    const mail = must(await t.call("GET", `/v1/authorities/${CVR}/notifications`, s.admin), 200);
    expect(mail.items.filter((n: { template: string }) => n.template === "deactivated")).toHaveLength(1);
  });

  it("leaves recalled post where it is, with no rerouted event", async () => {
    const gone = memoFor(CVR, { contactPointId: s.cpOther.id, valueDate: "2026-12-01" });
    must(await t.call("POST", "/v1/messages", s.sender, gone.xml, XML), 202);
    must(await t.call("POST", `/v1/messages/${gone.uuid}/recall`, s.sender), 200);
    const off = must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/deactivate`, s.admin), 200);
    expect(off.moved).toBe(0);
    const m = must(await t.call("GET", `/v1/messages/${gone.uuid}`, s.sender), 200);
    expect(m).toMatchObject({ state: "recalled", custodian: { recipientSystemId: s.other.id } });
    expect(m.events.map((e: { type: string }) => e.type)).not.toContain("rerouted");
  });
});
