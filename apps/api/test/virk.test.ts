import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { must, submit, virkWorld, type VirkWorld } from "./support/relocation-fixtures.ts";
import { CVR, OTHER_CVR } from "./support/test-app.ts";

describe("the Virk mailbox", () => {
  let w: VirkWorld;
  let toPrimary: string[];
  let cvrOnly: string[];
  let delivered: string[];
  beforeEach(async () => {
    w = await virkWorld();
    toPrimary = await submit(w, 3, w.cpPrimary.id); // system deactivated, primary too → Virk
    cvrOnly = await submit(w, 4); // no contact point, primary deactivated → Virk
    delivered = await submit(w, 1, w.cpOther.id); // routed to the other, active system
  });
  afterEach(async () => {
    await w.t.db.destroy();
  });
  const list = (q = "", token: string | null = w.admin) => w.t.call("GET", `/v1/authorities/${CVR}/virk/messages${q}`, token);

  it("shows the sender label kept at intake, and reads it from the bytes for post received before it was kept", async () => {
    await w.t.db.updateTable("messages").set({ sender_label: null }).where("uuid", "=", cvrOnly[0]!).execute();
    const items = must(await list(), 200).items as { messageUUID: string; senderLabel: string | null }[];
    expect(new Set(items.map((m) => m.senderLabel))).toEqual(new Set(["Kommunen"]));
    expect(must(await w.t.call("GET", `/v1/authorities/${CVR}/virk/messages/${cvrOnly[0]}`, w.admin), 200).senderLabel).toBe("Kommunen");
  });

  it("lists a message whose stored body cannot be read without its sender label, and the rest of the page as ever", async () => {
    const [broken, labelled] = cvrOnly;
    await w.t.db.updateTable("messages").set({ sender_label: null }).where("uuid", "=", broken!).execute();
    await w.t.db
      .updateTable("message_bodies")
      .set({ body: new TextEncoder().encode("no deflate here"), encoding: "deflate-raw" })
      .where("uuid", "=", broken!)
      .execute();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const items = must(await list(), 200).items as { messageUUID: string; senderLabel: string | null }[];
      expect(items).toHaveLength(7);
      expect(items.find((m) => m.messageUUID === broken)?.senderLabel).toBeNull();
      expect(items.find((m) => m.messageUUID === labelled)?.senderLabel).toBe("Kommunen");
      expect(String(logged.mock.calls[0]?.[1])).toContain(`message ${broken}: its stored body (deflate-raw) cannot be read`);
      // The message itself cannot be shown: that answer says why.
      const one = await w.t.call("GET", `/v1/authorities/${CVR}/virk/messages/${broken}`, w.admin);
      expect(one.status).toBe(500);
      expect(one.json).toMatchObject({ code: "stored_body_unreadable" });
    } finally {
      logged.mockRestore();
    }
  });

  it("lists the authority's Virk post newest first with origin, landing and total, cursor-paged", async () => {
    const first = must(await list("?limit=3"), 200);
    expect(first.total).toBe(7);
    expect(first.items.map((m: any) => m.messageUUID)).toEqual([...cvrOnly].reverse().slice(0, 3));
    const m = first.items[0];
    expect(m).toEqual({
      messageUUID: cvrOnly[3],
      label: expect.any(String),
      senderId: "12345678",
      senderLabel: "Kommunen",
      receivedAt: "2026-11-27T09:06:00.000Z",
      landedAt: "2026-11-27T09:06:00.000Z",
      originalContactPointId: null,
      originalContactPointName: null,
      reason: "primary_deactivated",
    });
    const seen = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = must(await list(`?limit=3&cursor=${cursor}`), 200);
      expect(page.total).toBe(7);
      seen.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(seen.map((x: any) => x.messageUUID)).toEqual([...toPrimary, ...cvrOnly].reverse());
    const fromPrimary = seen.find((x: any) => x.messageUUID === toPrimary[0]);
    expect(fromPrimary).toMatchObject({
      originalContactPointId: w.cpPrimary.id,
      originalContactPointName: "Primary CP",
      reason: "primary_deactivated",
    });
    expect(seen.some((x: any) => delivered.includes(x.messageUUID))).toBe(false);
  });

  it("filters by window, original contact point and sender; the sender label comes from the MeMo", async () => {
    const window = must(await list("?receivedFrom=2026-11-27T09:01:00Z&receivedTo=2026-11-27T10:04:00%2B01:00"), 200);
    expect(window.items.map((m: any) => m.messageUUID)).toEqual([cvrOnly[1], cvrOnly[0], toPrimary[2], toPrimary[1]]);
    expect(window.total).toBe(4);
    const byCp = must(await list(`?originalContactPointId=${w.cpPrimary.id.toUpperCase()}`), 200);
    expect(byCp.items.map((m: any) => m.messageUUID).sort()).toEqual([...toPrimary].sort());
    const sample = byCp.items[0];
    const bySender = must(await list(`?senderId=${sample.senderId}`), 200);
    expect(bySender.total).toBe(7);
    expect(must(await list("?senderId=nobody"), 200)).toEqual({ items: [], nextCursor: null, total: 0 });
    expect((await list("?receivedFrom=yesterday")).status).toBe(422);
    const backwards = await list("?receivedFrom=2026-11-28&receivedTo=2026-11-27");
    expect(backwards.status).toBe(422);
    expect(backwards.json).toMatchObject({ code: "invalid_input", issues: [{ path: "receivedTo" }] });
    expect((await list("?cursor=garbage")).status).toBe(400);
    const day = must(await list("?receivedFrom=2026-11-27&receivedTo=2026-11-27"), 200);
    expect(day.total).toBe(7);
  });

  it("reads one message as JSON and as the original XML; other messages look missing", async () => {
    const uuid = toPrimary[0]!;
    const json = must(await w.t.call("GET", `/v1/authorities/${CVR}/virk/messages/${uuid}`, w.admin), 200);
    expect(json).toMatchObject({
      messageUUID: uuid,
      state: "in_virk",
      originalContactPointId: w.cpPrimary.id,
      memoVersion: "1.2",
      reason: "primary_deactivated",
    });
    const xml = await w.t.call("GET", `/v1/authorities/${CVR}/virk/messages/${uuid}`, w.admin, undefined, { accept: "application/xml" });
    expect(xml.status).toBe(200);
    expect(xml.headers.get("content-type")).toMatch(/application\/xml/);
    expect(xml.text).toContain(uuid);
    expect(xml.text).toMatch(/^<\?xml|<memo:Message/);
    expect((await w.t.call("GET", `/v1/authorities/${CVR}/virk/messages/${delivered[0]}`, w.admin)).status).toBe(404);
    expect((await w.t.call("GET", `/v1/authorities/${CVR}/virk/messages/${crypto.randomUUID()}`, w.admin)).status).toBe(404);
    // another authority's admin: the whole mailbox looks missing
    expect((await w.t.call("GET", `/v1/authorities/${CVR}/virk/messages/${uuid}`, w.otherAuthority.admin)).status).toBe(404);
    expect((await list("", w.otherAuthority.admin)).status).toBe(404);
    // and the other authority's own mailbox does not show ours
    const theirs = must(await w.t.call("GET", `/v1/authorities/${OTHER_CVR}/virk/messages`, w.otherAuthority.admin), 200);
    expect(theirs.total).toBe(0);
  });

  it("lists relocation targets with eligibility and the reason", async () => {
    const r = must(await w.t.call("GET", `/v1/authorities/${CVR}/relocation-targets`, w.admin), 200);
    const byName = Object.fromEntries(r.items.map((i: any) => [i.name, i]));
    expect(byName["Other CP"]).toEqual({
      contactPointId: w.cpOther.id,
      name: "Other CP",
      recipientSystemId: w.other.id,
      recipientSystemName: "other",
      eligible: true,
      reason: null,
    });
    expect(byName["Primary CP"]).toMatchObject({ eligible: false, reason: "system_deactivated" });
    expect(byName["Hidden CP"]).toMatchObject({ eligible: false, reason: "invisible" });
    expect(byName["Closed CP"]).toMatchObject({ eligible: false, reason: "inactive" });
    expect(r.items).toHaveLength(4);
  });

  it("lets a portal token with view read, and nobody without one", async () => {
    const session = must(
      await w.t.call("POST", `/v1/authorities/${CVR}/portal-sessions`, w.admin, { capabilities: ["view"], user: { name: "Karin" } }),
      201,
    );
    expect(must(await list("", session.token), 200).total).toBe(7);
    const none = must(
      await w.t.call("POST", `/v1/authorities/${CVR}/portal-sessions`, w.admin, { capabilities: ["reactivate"], user: { name: "Ole" } }),
      201,
    );
    expect((await list("", none.token)).status).toBe(404);
    expect((await list("", null)).status).toBe(401);
    expect((await list("", w.sender)).status).toBe(404);
  });
});
