import { beforeEach, describe, expect, it } from "vitest";
import { inlineRefs } from "./support/openapi.ts";
import { CVR, OPERATOR, OTHER_CVR, createTestApp, seedAuthority, type TestApp } from "./support/test-app.ts";

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});

describe("authorities and keys", () => {
  it("creates an authority, refuses a bad CVR and a duplicate", async () => {
    expect((await t.call("POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "A" })).status).toBe(201);
    const dup = await t.call("POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "A" });
    expect(dup.status).toBe(409);
    const bad = await t.call("POST", "/v1/authorities", OPERATOR, { cvr: "12345678", name: "B" });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.json).toMatchObject({ status: 422, code: "invalid_cvr", issues: [{ path: "cvr" }] });
  });

  it("answers 401 without or with a wrong token", async () => {
    const none = await t.call("POST", "/v1/authorities", null, { cvr: CVR, name: "A" });
    expect(none.status).toBe(401);
    expect(none.json.code).toBe("unauthorized");
    expect((await t.call("POST", "/v1/authorities", "nope", { cvr: CVR, name: "A" })).status).toBe(401);
  });

  it("answers 422 naming the field for malformed or wrong JSON", async () => {
    const broken = await t.call("POST", "/v1/authorities", OPERATOR, "{ not json", { "content-type": "application/json" });
    expect(broken.status).toBe(422);
    expect(broken.json.code).toBe("malformed_json");
    const missing = await t.call("POST", "/v1/authorities", OPERATOR, { cvr: CVR });
    expect(missing.status).toBe(422);
    expect(missing.json.issues.map((i: { path: string }) => i.path)).toContain("name");
  });

  it("shows a key once and stores only its hash", async () => {
    const s = await seedAuthority(t);
    const rows = await t.db.selectFrom("api_keys").select(["key_hash"]).execute();
    expect(rows.length).toBe(2);
    expect(rows.some((r) => r.key_hash.includes(s.admin) || s.admin.includes(r.key_hash))).toBe(false);
    expect(s.admin).toMatch(/^pv_admin_/);
  });

  it("a key of one authority touching another gets 404", async () => {
    const a = await seedAuthority(t, CVR);
    await seedAuthority(t, OTHER_CVR);
    for (const [method, path] of [
      ["GET", `/v1/authorities/${OTHER_CVR}/recipient-systems`],
      ["GET", `/v1/authorities/${OTHER_CVR}/contact-points`],
      ["POST", `/v1/authorities/${OTHER_CVR}/api-keys`],
    ] as const) {
      const r = await t.call(method, path, a.admin, method === "POST" ? { role: "admin", label: "x" } : undefined);
      expect(r.status, path).toBe(404);
    }
    // Even a body that would not validate gets the same 404, not a 422 about its fields.
    const invalid = await t.call("POST", `/v1/authorities/${OTHER_CVR}/contact-points`, a.admin, { nonsense: true });
    expect(invalid.status).toBe(404);
    const sys = await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${a.primary.id}`, a.admin);
    expect(sys.status).toBe(200);
  });
});

describe("recipient systems", () => {
  it("makes the first system primary, moves the mark atomically, shows the secret once", async () => {
    const s = await seedAuthority(t);
    expect(s.primary.primary).toBe(true);
    expect(s.other.primary).toBe(false);
    expect(s.primary.signingSecret).toMatch(/^whsec_/);
    const read = await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`, s.admin);
    expect(read.json.signingSecret).toBeUndefined();
    const moved = await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/primary`, s.admin);
    expect(moved.status).toBe(200);
    const list = await t.call("GET", `/v1/authorities/${CVR}/recipient-systems`, s.admin);
    expect(list.json.items.filter((x: { primary: boolean }) => x.primary).map((x: { id: string }) => x.id)).toEqual([s.other.id]);
  });

  it("refuses plain http to a non-loopback host, and an endpoint on a pull system", async () => {
    const s = await seedAuthority(t);
    const base = { technicalContact: { name: "T", email: "t@example.dk" }, businessContactEmail: "b@example.dk" };
    const http = await t.call("POST", `/v1/authorities/${CVR}/recipient-systems`, s.admin, {
      ...base,
      name: "x",
      protocol: "REST_PUSH",
      endpoint: "http://example.dk/in",
    });
    expect(http.status).toBe(422);
    expect(http.json.issues[0].path).toBe("endpoint");
    const pull = await t.call("POST", `/v1/authorities/${CVR}/recipient-systems`, s.admin, {
      ...base,
      name: "y",
      protocol: "REST_PULL",
      endpoint: "https://example.dk/in",
    });
    expect(pull.status).toBe(422);
    const okPull = await t.call("POST", `/v1/authorities/${CVR}/recipient-systems`, s.admin, { ...base, name: "z", protocol: "REST_PULL" });
    expect(okPull.status).toBe(201);
    expect(okPull.json.signingSecret).toBeUndefined();
  });

  it("in production refuses loopback http endpoints", async () => {
    const p = await createTestApp({ config: { production: true, simulatedClock: false } });
    const s = await seedAuthority(p, CVR, { a: "https://recipient.example.dk/a", b: "https://recipient.example.dk/b" });
    const r = await p.call("PATCH", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`, s.admin, {
      endpoint: "http://127.0.0.1:8080/in",
    });
    expect(r.status).toBe(422);
    const priv = await p.call("PATCH", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`, s.admin, {
      endpoint: "https://10.0.0.5/in",
    });
    expect(priv.status).toBe(422);
  });
});

describe("lists", () => {
  it("page with limit and cursor, and refuse a cursor they did not make", async () => {
    const s = await seedAuthority(t);
    const first = await t.call("GET", `/v1/authorities/${CVR}/contact-points?limit=1`, s.admin);
    expect(first.json.items).toHaveLength(1);
    const second = await t.call("GET", `/v1/authorities/${CVR}/contact-points?limit=1&cursor=${first.json.nextCursor}`, s.admin);
    expect(second.json.items).toHaveLength(1);
    expect(second.json.items[0].id).not.toBe(first.json.items[0].id);
    expect(second.json.nextCursor).toBeNull();
    expect((await t.call("GET", `/v1/authorities/${CVR}/recipient-systems?limit=501`, s.admin)).status).toBe(422);
    expect((await t.call("GET", `/v1/authorities/${CVR}/recipient-systems?cursor=nonsense`, s.admin)).json).toMatchObject({
      status: 400,
      code: "bad_cursor",
    });
    expect((await t.call("GET", `/v1/authorities/${CVR}/recipient-systems`, s.admin)).json.items).toHaveLength(2);
  });
});

describe("contact points", () => {
  it("generates v4 ids, validates a given id, and refuses another authority's system", async () => {
    const s = await seedAuthority(t);
    expect(s.cpOther.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    const bad = await t.call("POST", `/v1/authorities/${CVR}/contact-points`, s.admin, {
      id: "not-a-uuid",
      name: "x",
      recipientSystemId: s.primary.id,
      visible: true,
      audiences: ["authorities"],
    });
    expect(bad.status).toBe(422);
    expect(bad.json.issues[0].path).toBe("id");
    const b = await seedAuthority(t, OTHER_CVR);
    const foreign = await t.call("POST", `/v1/authorities/${CVR}/contact-points`, s.admin, {
      name: "x",
      recipientSystemId: b.primary.id,
      visible: true,
      audiences: ["authorities"],
    });
    expect(foreign.status).toBe(422);
    const patched = await t.call("PATCH", `/v1/authorities/${CVR}/contact-points/${s.cpOther.id}`, s.admin, {
      active: false,
      maxSizeMb: null,
    });
    expect(patched.json).toMatchObject({ active: false, maxSizeMb: null });
  });
});

describe("meta", () => {
  it("serves health and an OpenAPI document covering the routes", async () => {
    expect((await t.call("GET", "/healthz", null)).status).toBe(200);
    const doc = await t.call("GET", "/openapi.json", null);
    expect(doc.json.openapi).toBe("3.1.0");
    const paths = Object.keys(doc.json.paths);
    for (const p of [
      "/v1/messages",
      "/v1/messages/{uuid}",
      "/v1/authorities",
      "/v1/authorities/{cvr}/recipient-systems/{id}",
      "/v1/authorities/{cvr}/contact-points",
    ]) {
      expect(paths).toContain(p);
    }
    expect(inlineRefs(doc.json).paths["/v1/authorities"].post.requestBody.content["application/json"].schema.required).toContain("cvr");
    expect(doc.json.webhooks.memoDelivery.post.parameters.map((p: { name: string }) => p.name)).toContain("webhook-signature");
  });

  it("has no dev clock without the simulated clock", async () => {
    const real = await createTestApp({ config: { simulatedClock: false } });
    expect((await real.call("POST", "/v1/dev/clock", OPERATOR, { advance: "P1D" })).status).toBe(404);
    const sim = await t.call("POST", "/v1/dev/clock", OPERATOR, { advance: "P1D" });
    expect(sim.status).toBe(200);
    expect(sim.json.now).toBe("2026-11-28T09:00:00.000Z");
  });
});
