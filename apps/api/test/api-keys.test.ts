// API keys have a lifecycle (issue 12 §3): listed without the key, revoked (401 at once here, within
// seconds on another instance on the same database whatever its cache holds), expiring by the wall
// clock, their last use kept to the minute, and an event naming the actor for each creation and
// revocation.
import { join } from "node:path";
import { openNodeDatabase } from "@postvej/db/node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../src/app.ts";
import { REVOCATION_CHECK_MS } from "../src/auth.ts";
import { createRuntime } from "../src/runtime.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { must, readReply } from "./support/reply.ts";
import { createPullSystem, createTestApp, CVR, OPERATOR, OTHER_CVR, seedAuthority, type TestApp } from "./support/test-app.ts";

const keysPath = `/v1/authorities/${CVR}/api-keys`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A second app instance (its own runtime and caches) on the same database file as `t`. */
async function secondInstance(t: TestApp) {
  const db = await openNodeDatabase(`file:${join(t.dir, "api.db")}`);
  const app = buildApp(createRuntime({ db, config: t.deps.config, clock: t.clock, mail: t.deps.mail }));
  const call = async (method: string, path: string, token: string) =>
    readReply(await app.request(path, { method, headers: { authorization: `Bearer ${token}` } }));
  return { db, call };
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
  return Date.now() - started;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("listing an authority's API keys", () => {
  it("shows every key of the authority with its times, never the key or its hash, paged by cursor", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    await seedAuthority(t, OTHER_CVR);
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const made = must(await t.call("POST", keysPath, s.admin, { role: "sender", label: "ERP", expiresAt }), 201);
    expect(made).toMatchObject({ role: "sender", label: "ERP", expiresAt, recipientSystemId: null });
    expect(Date.parse(made.createdAt)).toBeLessThanOrEqual(Date.now());
    const pull = await createPullSystem(t, s.admin);
    const recipient = must(await t.call("POST", keysPath, OPERATOR, { role: "recipient", label: "pull", recipientSystemId: pull.id }), 201);

    const all = must(await t.call("GET", keysPath, s.admin), 200);
    expect(all.nextCursor).toBeNull();
    expect(all.items.map((k: { label: string }) => k.label)).toEqual(["admin", "sender", "ERP", "pull"]);
    for (const k of all.items) {
      expect(Object.keys(k).sort()).toEqual([
        "createdAt",
        "expiresAt",
        "id",
        "label",
        "lastUsedAt",
        "recipientSystemId",
        "revokedAt",
        "role",
      ]);
      expect(k.revokedAt).toBeNull();
    }
    expect(all.items[2]).toMatchObject({ id: made.id, expiresAt, lastUsedAt: null });
    expect(all.items[3]).toMatchObject({ id: recipient.id, role: "recipient", recipientSystemId: pull.id, expiresAt: null });
    expect(JSON.stringify(all)).not.toContain(made.key);
    expect(JSON.stringify(all)).not.toContain(s.admin);
    const hashes = await t.db.selectFrom("api_keys").select("key_hash").execute();
    for (const h of hashes) expect(JSON.stringify(all)).not.toContain(h.key_hash);

    // Paged: two at a time, the cursor the keyset of the page's last key; the same list whole.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = must(
        await t.call("GET", `${keysPath}?limit=2${cursor ? `&cursor=${cursor}` : ""}`, OPERATOR),
        200,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((k) => k.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((k: { id: string }) => k.id));
    expect(must(await t.call("GET", `${keysPath}?cursor=nonsense!`, s.admin), 400).code).toBe("bad_cursor");
  });

  it("is for the operator and the authority's admin only: a sender key, a portal token and another authority get 404", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const other = await seedAuthority(t, OTHER_CVR);
    const portal = must(
      await t.call("POST", `/v1/authorities/${CVR}/portal-sessions`, s.admin, {
        capabilities: ["view", "relocate", "reactivate"],
        user: { name: "Karin" },
      }),
      201,
    ).token;
    for (const token of [s.sender, portal, other.admin]) {
      expect((await t.call("GET", keysPath, token)).status).toBe(404);
      expect((await t.call("POST", keysPath, token, { role: "admin", label: "x" })).status).toBe(404);
    }
    const id = must(await t.call("GET", keysPath, s.admin), 200).items[0].id;
    expect((await t.call("DELETE", `${keysPath}/${id}`, s.sender)).status).toBe(404);
    expect((await t.call("DELETE", `${keysPath}/${id}`, portal)).status).toBe(404);
    expect((await t.call("DELETE", `${keysPath}/${id}`, other.admin)).status).toBe(404);
    expect((await t.call("GET", `/v1/authorities/99999999/api-keys`, OPERATOR)).status).toBe(404);
  });
});

describe("revoking an API key", () => {
  it("answers 401 for it at once, answers the same when repeated, 404 for an unknown or another authority's key, and logs who did it", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const other = await seedAuthority(t, OTHER_CVR);
    // The sender key is in this instance's cache: it has just been used.
    const m = memoFor(CVR, { contactPointId: s.cpPrimary.id });
    must(await t.call("POST", "/v1/messages", s.sender, m.xml, { "content-type": "application/xml" }), 202);
    expect((await t.call("GET", `/v1/messages/${m.uuid}`, s.sender)).status).toBe(200);
    const senderId = must(await t.call("GET", keysPath, s.admin), 200).items.find((k: { label: string }) => k.label === "sender").id;

    const revoked = must(await t.call("DELETE", `${keysPath}/${senderId}`, s.admin), 200);
    expect(revoked).toMatchObject({ id: senderId, role: "sender", label: "sender" });
    expect(Date.parse(revoked.revokedAt)).toBeLessThanOrEqual(Date.now());
    const refused = await t.call("GET", `/v1/messages/${m.uuid}`, s.sender);
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ code: "unauthorized", detail: "the API key was revoked" });
    expect((await t.call("POST", "/v1/messages", s.sender, memoFor(CVR).xml, { "content-type": "application/xml" })).status).toBe(401);

    // Idempotent: the same answer, the same time, one event.
    expect(must(await t.call("DELETE", `${keysPath}/${senderId}`, OPERATOR), 200)).toEqual(revoked);
    expect(must(await t.call("GET", keysPath, s.admin), 200).items.find((k: { id: string }) => k.id === senderId)).toEqual(revoked);
    expect(must(await t.call("DELETE", `${keysPath}/key_unknown`, s.admin), 404).code).toBe("not_found");
    // Another authority's key is missing here, by its own admin's path too.
    const otherKeyId = must(await t.call("GET", `/v1/authorities/${OTHER_CVR}/api-keys`, other.admin), 200).items[0].id;
    expect((await t.call("DELETE", `${keysPath}/${otherKeyId}`, s.admin)).status).toBe(404);
    expect((await t.call("DELETE", `${keysPath}/${otherKeyId}`, OPERATOR)).status).toBe(404);
    expect((await t.call("GET", `/v1/authorities/${OTHER_CVR}/api-keys`, other.admin)).status).toBe(200);
    // The admin key still works; other keys are unaffected.
    expect((await t.call("GET", keysPath, s.admin)).status).toBe(200);

    const events = must(await t.call("GET", `/v1/authorities/${CVR}/events`, s.admin), 200).items as {
      type: string;
      data: Record<string, unknown>;
    }[];
    const created = events.filter((e) => e.type === "api_key_created");
    expect(created.map((e) => e.data.label).sort()).toEqual(["admin", "sender"]);
    expect(created[0]!.data).toMatchObject({ by: "operator", actor: { kind: "operator" } });
    const revocations = events.filter((e) => e.type === "api_key_revoked");
    expect(revocations).toHaveLength(1);
    expect(revocations[0]!.data).toMatchObject({
      keyId: senderId,
      role: "sender",
      label: "sender",
      by: "admin",
      actor: { kind: "api_key", name: "admin" },
    });
  });

  it("reaches another instance on the same database within the bound, though its cache held the key", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const two = await secondInstance(t);
    const path = `/v1/authorities/${CVR}/recipient-systems`;
    expect((await two.call("GET", path, s.admin)).status).toBe(200);
    const id = must(await t.call("GET", keysPath, OPERATOR), 200).items.find((k: { label: string }) => k.label === "admin").id;
    // Instance two holds the key in its cache now; it keeps answering 200 for it until told.
    for (let i = 0; i < 3; i++) expect((await two.call("GET", path, s.admin)).status).toBe(200);
    must(await t.call("DELETE", `${keysPath}/${id}`, OPERATOR), 200);
    const took = await until(
      "the revocation to reach instance two",
      async () => (await two.call("GET", path, s.admin)).status === 401,
      5_000,
    );
    expect(took).toBeLessThanOrEqual(2 * REVOCATION_CHECK_MS + 500);
    expect((await t.call("GET", path, s.admin)).status).toBe(401);
    await two.db.destroy();
  });
});

describe("an API key's expiry", () => {
  it("must lie in the future and at most two years ahead", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const past = must(
      await t.call("POST", keysPath, s.admin, { role: "sender", label: "x", expiresAt: new Date(Date.now() - 1000).toISOString() }),
      422,
    );
    expect(past.issues).toMatchObject([{ path: "expiresAt", code: "expires_in_past" }]);
    const late = must(
      await t.call("POST", keysPath, s.admin, {
        role: "sender",
        label: "x",
        expiresAt: new Date(Date.now() + 731 * 86_400_000).toISOString(),
      }),
      422,
    );
    expect(late.issues).toMatchObject([{ path: "expiresAt", code: "expires_too_late" }]);
    const garbled = must(await t.call("POST", keysPath, s.admin, { role: "sender", label: "x", expiresAt: "next tuesday" }), 422);
    expect(garbled.issues[0].path).toBe("expiresAt");
    // An offset is understood and stored as UTC.
    const at = new Date(Date.now() + 3_600_000);
    const local = `${new Date(at.getTime() + 2 * 3_600_000).toISOString().slice(0, 19)}+02:00`;
    expect(must(await t.call("POST", keysPath, s.admin, { role: "sender", label: "x", expiresAt: local }), 201).expiresAt).toBe(
      `${at.toISOString().slice(0, 19)}.000Z`,
    );
  });

  it("answers 401 once the wall clock passes it, cached or not, whatever the simulated clock says", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const key = must(
      await t.call("POST", keysPath, s.admin, { role: "admin", label: "short", expiresAt: new Date(Date.now() + 1500).toISOString() }),
      201,
    ).key;
    const path = `/v1/authorities/${CVR}/recipient-systems`;
    expect((await t.call("GET", path, key)).status).toBe(200);
    // The domain clock a year on does not expire it: expiry is security time.
    t.clock.set("2027-12-01T00:00:00Z");
    expect((await t.call("GET", path, key)).status).toBe(200);
    await until("the key to expire", async () => (await t.call("GET", path, key)).status === 401, 5_000);
    expect(must(await t.call("GET", path, key), 401).detail).toBe("the API key has expired");
    const listed = must(await t.call("GET", keysPath, s.admin), 200).items.find((k: { label: string }) => k.label === "short");
    expect(Date.parse(listed.expiresAt)).toBeLessThanOrEqual(Date.now());
    expect(listed.revokedAt).toBeNull();
  });
});

describe("an API key's last use", () => {
  it("is written on first use and then at most once a minute, however often the key is used", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const lastUsed = async () =>
      (await t.db.selectFrom("api_keys").select("last_used_at").where("label", "=", "sender").executeTakeFirstOrThrow()).last_used_at ??
      null;
    expect(await lastUsed()).toBeNull();
    const updates: string[] = [];
    const path = `/v1/messages/${crypto.randomUUID()}`;
    const t0 = Date.now();
    expect((await t.call("GET", path, s.sender)).status).toBe(404);
    await until("the first use to be written", async () => (await lastUsed()) !== null, 2_000);
    const first = (await lastUsed())!;
    expect(Date.parse(first)).toBeGreaterThanOrEqual(t0);
    // Count the writes: a burst of uses within the minute writes nothing more.
    const spy = vi.spyOn(t.db, "updateTable");
    for (let i = 0; i < 50; i++) await t.call("GET", path, s.sender);
    await sleep(50);
    for (const call of spy.mock.calls) updates.push(String(call[0]));
    expect(updates.filter((u) => u === "api_keys")).toEqual([]);
    expect(await lastUsed()).toBe(first);
    // A minute on (the wall clock), the next use is written.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61_000 });
    expect((await t.call("GET", path, s.sender)).status).toBe(404);
    await until("the next use to be written", async () => (await lastUsed()) !== first, 2_000);
    // (The spy sees that write: it would have seen any other.)
    expect(spy.mock.calls.filter((c) => c[0] === "api_keys")).toHaveLength(1);
    expect(Date.parse((await lastUsed())!) - Date.parse(first)).toBeGreaterThanOrEqual(60_000);
    const listed = must(await t.call("GET", keysPath, s.admin), 200).items.find((k: { label: string }) => k.label === "sender");
    expect(listed.lastUsedAt).toBe(await lastUsed());
    spy.mockRestore();
  });
});
