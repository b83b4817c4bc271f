import { EventType, Event, MessageDetail, MessageSummary, pageOf } from "@postvej/contract";
import { EVENT_TYPE } from "@postvej/core/delivery";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import type { startRecipientServer } from "./support/recipient-server.ts";
import { must } from "./support/reply.ts";
import { CVR, OTHER_CVR, seedAuthority, type TestApp } from "./support/test-app.ts";

// Issue 13 §2: what the event log panel reads. Real libSQL, a real loopback receiver ("other"
// answers 503, "primary" 204), the app's clock moved by hand.
const XML = { "content-type": "application/xml" };
let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
let r: Awaited<ReturnType<typeof startRecipientServer>>;
let portal: string;
let runs: Promise<unknown>[];

beforeEach(async () => {
  ({ r, t, s } = await pushFixture({ pushTimeoutMs: 1_000 }));
  r.set("/other", 503);
  runs = [];
  t.deps.kickDeliveries = () => {
    const run = deliverDue(t.deps);
    runs.push(run);
    return run.then(() => undefined);
  };
  portal = must(
    await t.call("POST", `/v1/authorities/${CVR}/portal-sessions`, s.admin, { capabilities: ["view"], user: { name: "Vera" } }),
    201,
  ).token;
});
afterEach(() => r.close());

/** Sends a message with this MeMo label to a contact point and waits for the push it starts. */
async function send(label: string, contactPointId: string): Promise<string> {
  const m = memoFor(CVR, { contactPointId });
  const xml = m.xml.replace(/(<memo:MessageHeader>[\s\S]*?<memo:label>)[^<]*(<\/memo:label>)/, `$1${label}$2`);
  must(await t.call("POST", "/v1/messages", s.sender, xml, XML), 202);
  await Promise.all(runs.splice(0));
  return m.uuid;
}
const events = async (query: string, token = portal) => {
  const page = must(await t.call("GET", `/v1/authorities/${CVR}/events?${query}`, token), 200);
  expect(pageOf(Event).safeParse(page).success).toBe(true);
  return page as { items: Event[]; nextCursor: string | null };
};
const countEvents = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM events`.execute(t.db)).rows[0]?.n);

describe("GET /v1/authorities/{cvr}/events with the event log's filters (portal token, view)", () => {
  it("the contract's EventType lists exactly the kinds core records", () => {
    expect([...EventType.options].sort()).toEqual(Object.values(EVENT_TYPE).sort());
  });

  it("narrows by message, by several types, by system and by time window, and pages through a filter", async () => {
    const failing = await send("Sag 1", s.cpOther.id);
    const delivered = await send("Sag 2", s.cpPrimary.id);
    // Ten seconds on: before the failed message's retry (30 s at the earliest) is due.
    t.clock.set("2026-11-27T09:00:10.000Z");
    const later = await send("Sag 1", s.cpOther.id);

    const own = (await events(`messageUUID=${failing.toUpperCase()}`)).items;
    expect(own.map((e) => e.type).reverse()).toEqual(["received", "routed", "attempt_failed"]);
    expect(own.every((e) => e.messageUUID === failing)).toBe(true);
    expect(own[0]?.data).toMatchObject({ attempt: 1, statusCode: 503 });

    const outcomes = (await events("type=attempt_failed,delivered")).items;
    expect(outcomes.map((e) => [e.type, e.messageUUID])).toEqual([
      ["attempt_failed", later],
      ["delivered", delivered],
      ["attempt_failed", failing],
    ]);
    const bySystem = (await events(`recipientSystemId=${s.other.id}&type=attempt_failed`)).items;
    expect(bySystem.map((e) => e.messageUUID)).toEqual([later, failing]);
    expect(bySystem.every((e) => e.recipientSystemId === s.other.id)).toBe(true);

    // `from` inclusive, `to` exclusive; any offset is read as the instant it names.
    const after = (await events("from=2026-11-27T10:00:10%2B01:00")).items;
    expect(new Set(after.map((e) => e.messageUUID))).toEqual(new Set([later]));
    const before = (await events("to=2026-11-27T09:00:10Z")).items;
    expect(before.length).toBeGreaterThan(0);
    expect(before.some((e) => e.messageUUID === later)).toBe(false);
    expect(before.every((e) => e.at < "2026-11-27T09:00:10.000Z")).toBe(true);
    expect((await events("from=2026-11-27T09:00:10Z&to=2026-11-27T09:00:10.001Z")).items.map((e) => e.messageUUID)).toContain(later);

    // Keyset paging keeps the filter: one at a time, the same items as one page.
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await events(`type=received&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual((await events("type=received")).items.map((e) => e.id));
    expect(seen).toHaveLength(3);
  });

  it.each([
    ["type=not_a_type", "type"],
    ["type=received,,delivered", "type"],
    ["messageUUID=not-a-uuid", "messageUUID"],
    ["from=yesterday", "from"],
    ["to=2026-11-27", "to"],
    ["from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z", "to"],
    ["from=2026-11-27T00:00:00Z&to=2026-11-27T00:00:00Z", "to"],
    ["recipientSystemId=", "recipientSystemId"],
  ])("a bad filter (%s) answers problem+json naming %s, and changes nothing", async (query, field) => {
    await send("Sag 1", s.cpPrimary.id);
    const before = await countEvents();
    const res = await t.call("GET", `/v1/authorities/${CVR}/events?${query}`, portal);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.json.code).toBe("invalid_input");
    expect(res.json.issues.map((i: { path: string }) => i.path.split(".")[0])).toContain(field);
    expect(await countEvents()).toBe(before);
  });

  it("uses the new indexes for the system and type filters and the label lookup", async () => {
    const plan = async (q: string) =>
      (await sql.raw<{ detail: string }>(`EXPLAIN QUERY PLAN ${q}`).execute(t.db)).rows.map((x) => x.detail).join(" | ");
    expect(await plan(`SELECT * FROM events WHERE authority_cvr = '1' AND recipient_system_id = 'x' ORDER BY id DESC`)).toContain(
      "events_authority_system",
    );
    expect(await plan(`SELECT * FROM events WHERE authority_cvr = '1' AND type = 'x' ORDER BY id DESC`)).toContain("events_authority_type");
    expect(
      await plan(`SELECT uuid FROM messages WHERE authority_cvr = '1' AND label = 'x' ORDER BY received_at DESC, uuid DESC`),
    ).toContain("messages_label");
  });
});

describe("GET /v1/authorities/{cvr}/messages?label= and GET /v1/authorities/{cvr}/messages/{uuid}", () => {
  it("finds an authority's messages by their exact MeMo label, newest first, paged", async () => {
    const first = await send("Byggetilladelse 2026-17", s.cpOther.id);
    t.clock.set("2026-11-27T10:00:00.000Z");
    const second = await send("Byggetilladelse 2026-17", s.cpPrimary.id);
    await send("Byggetilladelse 2026-170", s.cpPrimary.id);
    const q = `/v1/authorities/${CVR}/messages?label=${encodeURIComponent("  Byggetilladelse 2026-17 ")}`;
    const page = must(await t.call("GET", q, portal), 200);
    expect(pageOf(MessageSummary).safeParse(page).success).toBe(true);
    expect(page.items.map((m: MessageSummary) => [m.messageUUID, m.state, m.custodianSystemId])).toEqual([
      [second, "delivered", s.primary.id],
      [first, "queued", s.other.id],
    ]);
    const one = must(await t.call("GET", `${q}&limit=1`, portal), 200);
    expect(one.items.map((m: MessageSummary) => m.messageUUID)).toEqual([second]);
    const next = must(await t.call("GET", `${q}&limit=1&cursor=${one.nextCursor}`, portal), 200);
    expect([next.items.map((m: MessageSummary) => m.messageUUID), next.nextCursor]).toEqual([[first], null]);
    expect(must(await t.call("GET", `/v1/authorities/${CVR}/messages?label=Nothing%20like%20it`, portal), 200).items).toEqual([]);
    const missing = await t.call("GET", `/v1/authorities/${CVR}/messages`, portal);
    expect([missing.status, missing.json.code]).toEqual([422, "invalid_input"]);
  });

  it("answers one message's trace to a view token: attempts with status and duration, and every event", async () => {
    const uuid = await send("Sag 9", s.cpOther.id);
    const res = must(await t.call("GET", `/v1/authorities/${CVR}/messages/${uuid.toUpperCase()}`, portal), 200);
    expect(MessageDetail.safeParse(res).success).toBe(true);
    expect(res.label).toBe("Sag 9");
    expect(res.attempts).toEqual([
      expect.objectContaining({ attempt: 1, recipientSystemId: s.other.id, outcome: "failed", statusCode: 503 }),
    ]);
    expect(res.events.map((e: { type: string }) => e.type)).toEqual(["received", "routed", "attempt_failed"]);
    expect(res.events[0].data).toMatchObject({ memoVersion: "1.2", sizeBytes: expect.any(Number) });
    // The same answer as the sender's own view of it.
    expect(res).toEqual(must(await t.call("GET", `/v1/messages/${uuid}`, s.sender), 200));
  });

  it("answers 404 for another authority's message, another authority's token, and a token without view", async () => {
    const uuid = await send("Sag 3", s.cpPrimary.id);
    const other = await seedAuthority(t, OTHER_CVR);
    const relocateOnly = must(
      await t.call("POST", `/v1/authorities/${CVR}/portal-sessions`, s.admin, { capabilities: ["relocate"], user: { name: "R" } }),
      201,
    ).token;
    expect((await t.call("GET", `/v1/authorities/${OTHER_CVR}/messages/${uuid}`, other.admin)).status).toBe(404);
    expect((await t.call("GET", `/v1/authorities/${OTHER_CVR}/messages/${uuid}`, portal)).status).toBe(404);
    expect((await t.call("GET", `/v1/authorities/${CVR}/messages/${uuid}`, relocateOnly)).status).toBe(404);
    expect((await t.call("GET", `/v1/authorities/${CVR}/messages?label=Sag%203`, relocateOnly)).status).toBe(404);
    expect((await t.call("GET", `/v1/authorities/${CVR}/events?messageUUID=${uuid}`, other.admin)).status).toBe(404);
    expect((await t.call("GET", `/v1/authorities/${CVR}/messages/${crypto.randomUUID()}`, portal)).status).toBe(404);
  });

  it("are in the OpenAPI document with their parameters", async () => {
    const doc = must(await t.call("GET", "/openapi.json", null), 200);
    const params = (path: string) => (doc.paths[path].get.parameters as { name: string }[]).map((p) => p.name);
    expect(params("/v1/authorities/{cvr}/events")).toEqual(
      expect.arrayContaining(["type", "recipientSystemId", "messageUUID", "from", "to", "limit", "cursor"]),
    );
    expect(params("/v1/authorities/{cvr}/messages")).toEqual(expect.arrayContaining(["label", "limit", "cursor"]));
    expect(doc.paths["/v1/authorities/{cvr}/messages/{uuid}"].get.operationId).toBe("getAuthorityMessage");
  });
});
