import { sql } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";
import { must } from "./support/reply.ts";
import { addPullSystem, CVR, createTestApp, seedAuthority, serveTestApp } from "./support/test-app.ts";

// A fetch that cannot hand the system its message changes nothing: no lease, so the list still shows
// it and a receipt is refused as for a message never fetched. Through a real HTTP server over libSQL.
let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await closeServer?.();
  closeServer = undefined;
});

async function setUp() {
  const t = await createTestApp();
  const s = await seedAuthority(t);
  const pull = await addPullSystem(t, s.admin);
  const server = await serveTestApp(t);
  closeServer = server.close;
  const m = memoFor(CVR, { contactPointId: pull.contactPoint.id });
  must(await t.call("POST", "/v1/messages", s.sender, m.xml, { "content-type": "application/xml" }), 202);
  const as = (method: string, path: string, body?: unknown) =>
    fetch(`${server.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${pull.key}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const waiting = async () => ((await (await as("GET", "/v1/recipient/messages")).json()) as { items: { messageUUID: string }[] }).items;
  const leaseOf = async () =>
    (await t.db.selectFrom("messages").select(["claimed_until", "claim_token"]).where("uuid", "=", m.uuid).executeTakeFirstOrThrow())
      .claimed_until;
  const conversions = async () =>
    (await t.db.selectFrom("events").select("id").where("message_uuid", "=", m.uuid).where("type", "=", "converted").execute()).length;
  return { t, m, as, waiting, leaseOf, conversions };
}

describe("a pull fetch that fails", () => {
  it("answers 500 for an unreadable stored body and leaves the message unfetched: listed, no lease, a receipt refused", async () => {
    const { t, m, as, waiting, leaseOf, conversions } = await setUp();
    await sql`UPDATE message_bodies SET encoding = 'deflate-raw', body = ${new TextEncoder().encode("no deflate here")} WHERE uuid = ${m.uuid}`.execute(
      t.db,
    );
    vi.spyOn(console, "error").mockImplementation(() => {}); // the 500 is logged
    const failed = await as("GET", `/v1/recipient/messages/${m.uuid}`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ code: "stored_body_unreadable" });
    expect(await leaseOf()).toBeNull();
    expect(await conversions()).toBe(0);
    expect((await waiting()).map((i) => i.messageUUID)).toEqual([m.uuid]);
    const receipt = await as("POST", `/v1/recipient/messages/${m.uuid}/receipt`, { status: "RECEIVED" });
    expect(receipt.status).toBe(404);
    expect(((await receipt.json()) as { detail: string }).detail).toContain("was not fetched by this system");

    // Mended, the same message fetches and receipts as any other.
    await t.db
      .updateTable("message_bodies")
      .set({ body: new TextEncoder().encode(m.xml), encoding: "identity" })
      .where("uuid", "=", m.uuid)
      .execute();
    const fetched = await as("GET", `/v1/recipient/messages/${m.uuid}`);
    expect(fetched.status).toBe(200);
    // The system chose MeMo 1.1: the answered body is the converted one, and its conversion is recorded with the lease.
    expect(await fetched.text()).toContain(`<memo:messageUUID>${m.uuid}</memo:messageUUID>`);
    expect(await conversions()).toBe(1);
    expect(await leaseOf()).not.toBeNull();
    expect(await waiting()).toEqual([]);
    expect((await as("POST", `/v1/recipient/messages/${m.uuid}/receipt`, { status: "RECEIVED" })).status).toBe(200);
  });

  it("answers 404 for a message whose body row is gone, and leases nothing", async () => {
    const { t, m, as, waiting, leaseOf } = await setUp();
    await t.db.deleteFrom("message_bodies").where("uuid", "=", m.uuid).execute();
    expect((await as("GET", `/v1/recipient/messages/${m.uuid}`)).status).toBe(404);
    expect(await leaseOf()).toBeNull();
    expect((await waiting()).map((i) => i.messageUUID)).toEqual([m.uuid]);
    expect((await as("POST", `/v1/recipient/messages/${m.uuid}/receipt`, { status: "RECEIVED" })).status).toBe(404);
  });
});
