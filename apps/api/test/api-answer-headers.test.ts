import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";
import { CVR, OPERATOR, createTestApp, seedAuthority, serveTestApp, type TestApp } from "./support/test-app.ts";

// /v1 answers carry API keys, signing secrets, portal tokens and post metadata: none may be cached
// (Cache-Control: no-store), and a 401 names the scheme it wants (WWW-Authenticate: Bearer), over a
// real Node server as a client sees them.
let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  t = await createTestApp();
  s = await seedAuthority(t);
  ({ base, close } = await serveTestApp(t));
});
afterAll(() => close());

const json = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

describe("headers of /v1 answers", () => {
  it("a new API key's 201, a list, an intake 202 and a problem are all no-store", async () => {
    const key = await fetch(`${base}/v1/authorities/${CVR}/api-keys`, {
      method: "POST",
      headers: json(OPERATOR),
      body: JSON.stringify({ role: "sender", label: "fresh" }),
    });
    expect(key.status).toBe(201);
    expect(((await key.json()) as { key: string }).key).toMatch(/^pv_sender_/);
    expect(key.headers.get("cache-control")).toBe("no-store");

    const list = await fetch(`${base}/v1/authorities/${CVR}/api-keys`, { headers: json(s.admin) });
    expect(list.status).toBe(200);
    expect(list.headers.get("cache-control")).toBe("no-store");

    const m = memoFor(CVR);
    const intake = await fetch(`${base}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.sender}`, "content-type": "application/xml" },
      body: m.xml,
    });
    expect(intake.status).toBe(202);
    expect(intake.headers.get("cache-control")).toBe("no-store");

    const read = await fetch(`${base}/v1/messages/${m.uuid}`, { headers: json(s.admin) });
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBe("no-store");
    const unknown = await fetch(`${base}/v1/authorities/${CVR}/recipient-systems/rs_nope`, { headers: json(s.admin) });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("cache-control")).toBe("no-store");
  });

  it("a 401 carries WWW-Authenticate: Bearer, with or without a token", async () => {
    const refused: Record<string, string>[] = [{}, { authorization: "Bearer pv_sender_nope" }, { authorization: `Basic ${s.sender}` }];
    for (const headers of refused) {
      const r = await fetch(`${base}/v1/session`, { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toBe('Bearer realm="postvej"');
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect(r.headers.get("cache-control")).toBe("no-store");
    }
    const ok = await fetch(`${base}/v1/session`, { headers: json(s.sender) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("www-authenticate")).toBeNull();
  });

  it("leaves answers outside /v1 as they were (the health check)", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("cache-control")).toBeNull();
  });
});
