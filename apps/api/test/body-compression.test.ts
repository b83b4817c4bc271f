import { convertMemoVersion } from "@postvej/core/memo";
import { findMessageBody } from "@postvej/db";
import { sql } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { nodeBodyCodec } from "../src/node/node-body-codec.ts";
import { webBodyCodec, type BodyCodec } from "../src/services/body-codec.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import { must } from "./support/reply.ts";
import { addPullSystem, CVR } from "./support/test-app.ts";

// Bodies stored deflated (POSTVEJ_BODY_COMPRESSION, as `auto` is for sqld/Turso and Workers): every
// reader hands out the very bytes received, through real HTTP to a loopback receiver that verifies
// each Standard Webhooks signature.
const XML = { "content-type": "application/xml" };
let fixture: Awaited<ReturnType<typeof pushFixture>> | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await fixture?.r.close();
  fixture = undefined;
});

async function setUp(compressBodies: boolean, codec?: BodyCodec) {
  fixture = await pushFixture({ compressBodies, pushTimeoutMs: 2_000 });
  if (codec) fixture.t.deps.bodyCodec = codec;
  return fixture;
}
const send = async (f: Awaited<ReturnType<typeof setUp>>, contactPointId: string) => {
  const m = memoFor(CVR, { name: "v1.2-full", contactPointId });
  must(await f.t.call("POST", "/v1/messages", f.s.sender, m.xml, XML), 202);
  return { ...m, bytes: new TextEncoder().encode(m.xml) };
};
const stateOf = async (f: Awaited<ReturnType<typeof setUp>>, uuid: string) =>
  must(await f.t.call("GET", `/v1/messages/${uuid}`, f.s.admin), 200) as { state: string; events: { type: string }[] };

describe.each([
  ["zlib (the Node runtime's codec)", nodeBodyCodec],
  ["the web streams (the Worker's, and the default)", webBodyCodec],
] as [string, BodyCodec][])("bodies stored deflated, read with %s", (_name, codec) => {
  it("stores the body deflated, and pushes the very bytes received, signed over them", async () => {
    const f = await setUp(true, codec);
    const m = await send(f, f.s.cpPrimary.id);
    const stored = await findMessageBody(f.t.db, m.uuid);
    expect(stored).toMatchObject({ encoding: "deflate-raw", sizeBytes: m.bytes.length });
    expect(stored!.body.length).toBeLessThan(m.bytes.length / 3);
    const detail = await stateOf(f, m.uuid);
    expect(detail).toMatchObject({ sizeBytes: m.bytes.length, state: "queued" });
    expect(await deliverDue(f.t.deps)).toMatchObject({ claimed: 1, delivered: 1 });
    const got = f.r.bodies.filter((b) => b.uuid === m.uuid);
    expect(got).toHaveLength(1); // only pushes whose signature verified are kept
    expect(got[0]!.body).toEqual(m.bytes);
    expect(f.r.badSignatures).toEqual([]);
    // the same bytes again are the same message (the hash is of the received bytes)
    expect((await f.t.call("POST", "/v1/messages", f.s.sender, m.xml, XML)).status).toBe(200);
  });

  it("converts a deflated 1.2 body for a system on MeMo 1.1", async () => {
    const f = await setUp(true, codec);
    must(await f.t.call("PATCH", `/v1/authorities/${CVR}/recipient-systems/${f.s.primary.id}`, f.s.admin, { memoVersion: "1.1" }), 200);
    const m = await send(f, f.s.cpPrimary.id);
    expect((await findMessageBody(f.t.db, m.uuid))?.encoding).toBe("deflate-raw");
    expect(await deliverDue(f.t.deps)).toMatchObject({ delivered: 1 });
    const got = f.r.bodies.find((b) => b.uuid === m.uuid)!.body;
    expect(got).toEqual(convertMemoVersion(m.bytes, "1.1").bytes);
    expect(new TextDecoder().decode(got)).toContain('memoVersion="1.1"');
  });

  it("hands a pull system the very bytes received", async () => {
    const f = await setUp(true, codec);
    const { contactPoint, key } = await addPullSystem(f.t, f.s.admin, { memoVersion: "1.2" });
    const m = await send(f, contactPoint.id);
    expect((await findMessageBody(f.t.db, m.uuid))?.encoding).toBe("deflate-raw");
    const fetched = await f.t.app.request(`/v1/recipient/messages/${m.uuid}`, { headers: { authorization: `Bearer ${key}` } });
    expect(fetched.status).toBe(200);
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(m.bytes);
  });
});

describe("bodies as the old code stored them, and compression off", () => {
  it("off stores the received bytes as they are; such a row still delivers once compression is on", async () => {
    const f = await setUp(false, nodeBodyCodec);
    const m = await send(f, f.s.cpPrimary.id);
    expect(await findMessageBody(f.t.db, m.uuid)).toEqual({ encoding: "identity", sizeBytes: m.bytes.length, body: m.bytes });
    f.t.deps.config = { ...f.t.deps.config, compressBodies: true };
    expect(await deliverDue(f.t.deps)).toMatchObject({ delivered: 1 });
    expect(f.r.bodies.find((b) => b.uuid === m.uuid)!.body).toEqual(m.bytes);
  });

  it("a small message stays identity even with compression on", async () => {
    const f = await setUp(true, nodeBodyCodec);
    const m = memoFor(CVR, { contactPointId: f.s.cpPrimary.id });
    must(await f.t.call("POST", "/v1/messages", f.s.sender, m.xml, XML), 202);
    expect((await findMessageBody(f.t.db, m.uuid))?.encoding).toBe(m.xml.length < 1024 ? "identity" : "deflate-raw");
  });
});

describe("a stored body that cannot be read", () => {
  it("fails its push clearly, pushes nothing, and leaves the message queued, not delivered; the pull fetch answers 500", async () => {
    const f = await setUp(true, nodeBodyCodec);
    const m = await send(f, f.s.cpPrimary.id);
    const fine = await send(f, f.s.cpPrimary.id);
    await sql`UPDATE message_bodies SET body = ${new TextEncoder().encode("no deflate here")} WHERE uuid = ${m.uuid}`.execute(f.t.db);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await deliverDue(f.t.deps)).toMatchObject({ claimed: 2, delivered: 1, skipped: 1 });
    expect(f.r.bodies.map((b) => b.uuid)).toEqual([fine.uuid]);
    expect(String(logged.mock.calls[0]?.[1])).toContain(`message ${m.uuid}: its stored body (deflate-raw) cannot be read`);
    const detail = await stateOf(f, m.uuid);
    expect(detail.state).toBe("queued");
    expect(detail.events.map((e) => e.type)).not.toContain("delivered");
    expect((await f.t.db.selectFrom("attempts").select("id").where("message_uuid", "=", m.uuid).execute()).length).toBe(0);

    const { contactPoint, key } = await addPullSystem(f.t, f.s.admin);
    const p = await send(f, contactPoint.id);
    await sql`UPDATE messages SET size_bytes = 100 WHERE uuid = ${p.uuid}`.execute(f.t.db);
    const fetched = await f.t.call("GET", `/v1/recipient/messages/${p.uuid}`, key);
    expect(fetched.status).toBe(500);
    expect(fetched.json).toMatchObject({ code: "stored_body_unreadable" });
    expect(fetched.json.detail).toContain(`message ${p.uuid}`);
    expect((await stateOf(f, p.uuid)).state).toBe("queued");
  });
});
