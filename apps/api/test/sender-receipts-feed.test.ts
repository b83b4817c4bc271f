// Receipts back to the sender (issue 12 §2), the endpoint and the pull feed: only a sender key has
// them; every bad input is a problem+json answer that changes nothing; the feed is keyset-paged
// with a cursor the sender keeps, and holds a receipt whether or not it was pushed.
import { pageOf, ReceiptEndpoint, SenderReceiptInFeed } from "@postvej/contract";
import { describe, expect, it } from "vitest";
import { encodeCursor } from "../src/cursor.ts";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { wholeFeed } from "./support/receipt-fixtures.ts";
import { must } from "./support/reply.ts";
import { addPullSystem, CVR, createTestApp, OPERATOR, seedAuthority, type TestApp } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };

async function endpointOf(t: TestApp, key: string) {
  return t.call("GET", "/v1/receipt-endpoint", key);
}

function problem(r: { status: number; headers: Headers; json: unknown }, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect((r.json as { code: string }).code).toBe(code);
}

describe("a sender key's receipt endpoint", () => {
  it("is created once with its secret, then changes its url only; bad input and other keys change nothing", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const pull = await addPullSystem(t, s.admin);
    for (const key of [s.admin, pull.key, OPERATOR]) {
      problem(await t.call("PUT", "/v1/receipt-endpoint", key, { url: "https://receipts.example.dk/in" }), 404, "not_found");
      problem(await t.call("GET", "/v1/receipts", key), 404, "not_found");
    }
    problem(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: "not a url" }), 422, "invalid_endpoint");
    problem(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: "http://receipts.example.dk/in" }), 422, "invalid_endpoint");
    problem(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: "https://u:p@receipts.example.dk/in" }), 422, "invalid_endpoint");
    problem(await t.call("PUT", "/v1/receipt-endpoint", s.sender, {}), 422, "invalid_input");
    problem(await t.call("PUT", "/v1/receipt-endpoint", s.sender, "{", { "content-type": "application/json" }), 422, "malformed_json");
    problem(await endpointOf(t, s.sender), 404, "not_found");
    problem(await t.call("DELETE", "/v1/receipt-endpoint", s.sender), 404, "not_found");

    const created = must(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: "https://receipts.example.dk/in" }), 201);
    expect(created).toMatchObject({
      url: "https://receipts.example.dk/in",
      signingSecret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    expect(ReceiptEndpoint.safeParse(created).success).toBe(true);
    const moved = must(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: "http://127.0.0.1:9/receipts" }), 200);
    expect(ReceiptEndpoint.safeParse(moved).success).toBe(true);
    expect(moved).toEqual({ url: "http://127.0.0.1:9/receipts", createdAt: created.createdAt, updatedAt: expect.any(String) });
    problem(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: "ftp://receipts.example.dk/" }), 422, "invalid_endpoint");
    expect(must(await endpointOf(t, s.sender), 200)).toEqual(moved);
    // The secret stays with the endpoint (stored as it must be used, never shown again).
    const row = await t.db.selectFrom("receipt_endpoints").selectAll().executeTakeFirstOrThrow();
    expect(row.signing_secret).toBe(created.signingSecret);

    // Removed, a new PUT makes a new secret.
    expect((await t.call("DELETE", "/v1/receipt-endpoint", s.sender)).status).toBe(204);
    problem(await endpointOf(t, s.sender), 404, "not_found");
    const again = must(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: "https://receipts.example.dk/in" }), 201);
    expect(again.signingSecret).not.toBe(created.signingSecret);
  });

  it("in production takes https on public addresses only, and seals the secret when POSTVEJ_SECRET_KEY is set", async () => {
    const secretKey = crypto.getRandomValues(new Uint8Array(32));
    const t = await createTestApp({ config: { production: true, simulatedClock: false, secretKey } });
    const s = await seedAuthority(t, CVR, { a: "https://a.example.dk/in", b: "https://b.example.dk/in" });
    for (const url of ["http://127.0.0.1:9/receipts", "https://10.0.0.7/receipts", "https://localhost/receipts", "https://[::1]/r"])
      problem(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url }), 422, "invalid_endpoint");
    problem(await endpointOf(t, s.sender), 404, "not_found");
    const created = must(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: "https://receipts.example.dk/in" }), 201);
    const row = await t.db.selectFrom("receipt_endpoints").selectAll().executeTakeFirstOrThrow();
    expect(row.signing_secret).toMatch(/^pvenc1:/);
    expect(row.signing_secret).not.toContain(created.signingSecret.slice(6));
  });
});

describe("the pull feed of receipts", () => {
  it("pages with a cursor the sender keeps, holds only its own key's receipts, and refuses a bad cursor", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t, CVR, { a: "http://127.0.0.1:9/a", b: "http://127.0.0.1:9/b" });
    const second = must(await t.call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "sender", label: "second" }), 201).key;
    const pull = await addPullSystem(t, s.admin);
    const sendTo = async (key: string) => {
      const m = memoFor(CVR, { contactPointId: pull.contactPoint.id });
      must(await t.call("POST", "/v1/messages", key, m.xml, XML), 202);
      must(await t.call("GET", `/v1/recipient/messages/${m.uuid}`, pull.key), 200);
      must(await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pull.key, { status: "RECEIVED" }), 200);
      return m.uuid;
    };
    const mine = [await sendTo(s.sender), await sendTo(s.sender), await sendTo(s.sender)];
    const theirs = await sendTo(second);
    // Post an admin key sent gets no receipts (only a sender key has a feed).
    await sendTo(s.admin);
    expect(await t.db.selectFrom("sender_receipts").select("id").execute()).toHaveLength(4);

    const first = must(await t.call("GET", "/v1/receipts?limit=2", s.sender), 200);
    // The answer is what the OpenAPI document says it is.
    expect(pageOf(SenderReceiptInFeed.strict()).safeParse(first).success).toBe(true);
    expect(first.items.map((i: SenderReceiptInFeed) => i.messageUUID)).toEqual(mine.slice(0, 2));
    expect(first.items[0]).toMatchObject({
      type: "business_receipt",
      receipt: { status: "RECEIVED", error: null },
      recipientSystemId: pull.system.id,
      push: { state: "not_pushed", attempts: 0, at: null },
    });
    const next = must(await t.call("GET", `/v1/receipts?limit=2&cursor=${first.nextCursor}`, s.sender), 200);
    expect(next.items.map((i: SenderReceiptInFeed) => i.messageUUID)).toEqual([mine[2]]);
    // At the end the cursor stays where the sender is: asked again, nothing new, the same cursor.
    const end = must(await t.call("GET", `/v1/receipts?limit=2&cursor=${next.nextCursor}`, s.sender), 200);
    expect(end).toEqual({ items: [], nextCursor: next.nextCursor });
    // What comes later shows up after the kept cursor.
    const later = await sendTo(s.sender);
    const since = must(await t.call("GET", `/v1/receipts?limit=2&cursor=${next.nextCursor}`, s.sender), 200);
    expect(since.items.map((i: SenderReceiptInFeed) => i.messageUUID)).toEqual([later]);
    expect((await wholeFeed(t, second)).map((i) => i.messageUUID)).toEqual([theirs]);

    for (const cursor of [
      "not!base64",
      encodeCursor(["x"], "/v1/receipts"),
      encodeCursor([1, 2], "/v1/receipts"),
      encodeCursor([1.5], "/v1/receipts"),
    ])
      problem(await t.call("GET", `/v1/receipts?cursor=${cursor}`, s.sender), 400, "bad_cursor");
    // Another key's cursor is refused, not taken for a position in this key's feed.
    const theirCursor = must(await t.call("GET", "/v1/receipts?limit=1", second), 200).nextCursor;
    problem(await t.call("GET", `/v1/receipts?cursor=${theirCursor}`, s.sender), 400, "cursor_from_another_list");
    // A cursor kept from before cursors named their list (the receipt's position alone) still pages, answered with a named one.
    const kept = Buffer.from(JSON.stringify([0])).toString("base64url");
    expect(must(await t.call("GET", `/v1/receipts?limit=2&cursor=${kept}`, s.sender), 200)).toEqual(first);
    problem(await t.call("GET", "/v1/receipts?limit=0", s.sender), 422, "invalid_input");
  });

  it("keeps receipts made while the key had no endpoint, or after it removed it, in the feed only", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t, CVR, { a: "http://127.0.0.1:9/a", b: "http://127.0.0.1:9/b" });
    const pull = await addPullSystem(t, s.admin);
    const m = memoFor(CVR, { contactPointId: pull.contactPoint.id });
    must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
    must(await t.call("GET", `/v1/recipient/messages/${m.uuid}`, pull.key), 200);
    must(await t.call("POST", `/v1/recipient/messages/${m.uuid}/receipt`, pull.key, { status: "COMPLETED" }), 200);
    must(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: "http://127.0.0.1:9/receipts" }), 201);
    expect(await deliverDue(t.deps)).toMatchObject({ delivered: 0 });
    const report = (await t.deps.runJobs(await t.clock.now())) as { receipts: unknown };
    expect(report.receipts).toMatchObject({ claimed: 0 });
    expect((await wholeFeed(t, s.sender)).map((r) => r.push.state)).toEqual(["not_pushed"]);

    // Made with the endpoint it is pending; the endpoint removed before its push, it is in the feed only.
    const n = memoFor(CVR, { contactPointId: pull.contactPoint.id });
    must(await t.call("POST", "/v1/messages", s.sender, n.xml, XML), 202);
    must(await t.call("GET", `/v1/recipient/messages/${n.uuid}`, pull.key), 200);
    must(await t.call("POST", `/v1/recipient/messages/${n.uuid}/receipt`, pull.key, { status: "RECEIVED" }), 200);
    expect((await wholeFeed(t, s.sender)).map((r) => r.push.state)).toEqual(["not_pushed", "pending"]);
    expect((await t.call("DELETE", "/v1/receipt-endpoint", s.sender)).status).toBe(204);
    expect(((await t.deps.runJobs(await t.clock.now())) as { receipts: unknown }).receipts).toMatchObject({ claimed: 0 });
    expect((await wholeFeed(t, s.sender)).map((r) => r.push.state)).toEqual(["not_pushed", "not_pushed"]);
  });
});
