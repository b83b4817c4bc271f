import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";
import { CVR, OPERATOR, createTestApp, seedAuthority, serveTestApp, type TestApp } from "./support/test-app.ts";

// The widgets call /v1 from portals on other origins: every /v1 answer carries
// Access-Control-Allow-Origin, over a real Node server (where @hono/node-server's own Response is used).
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

const origin = "https://portal.example.dk";

describe("CORS on /v1", () => {
  it("a submitted message's 202 carries the header, its JSON and content type intact", async () => {
    const m = memoFor(CVR);
    const r = await fetch(`${base}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.sender}`, "content-type": "application/xml", origin },
      body: m.xml,
    });
    expect(r.status).toBe(202);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("access-control-expose-headers")).toBe("retry-after, www-authenticate");
    expect(r.headers.get("content-type")).toContain("application/json");
    expect((await r.json()).messageUUID).toBe(m.uuid);
  });

  it("errors carry it too: 401, 422 and a path with no route", async () => {
    const unauthorized = await fetch(`${base}/v1/authorities/${CVR}/status`, { headers: { origin } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("access-control-allow-origin")).toBe("*");
    expect(unauthorized.headers.get("content-type")).toContain("application/problem+json");
    // A page on another origin reads why (its token expired: it asks its host for a new one).
    expect(unauthorized.headers.get("www-authenticate")).toBe('Bearer realm="postvej"');
    expect(unauthorized.headers.get("access-control-expose-headers")).toBe("retry-after, www-authenticate");
    const invalid = await fetch(`${base}/v1/authorities`, {
      method: "POST",
      headers: { authorization: `Bearer ${OPERATOR}`, "content-type": "application/json", origin },
      body: JSON.stringify({ cvr: "1" }),
    });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("access-control-allow-origin")).toBe("*");
    const missing = await fetch(`${base}/v1/no-such-path`, { headers: { authorization: `Bearer ${OPERATOR}`, origin } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("a preflight answers 204 with the methods, headers and max age", async () => {
    const r = await fetch(`${base}/v1/messages`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("access-control-allow-methods")).toBe("GET,POST,PUT,PATCH,DELETE,OPTIONS");
    expect(r.headers.get("access-control-allow-headers")).toBe("authorization,content-type");
    expect(r.headers.get("access-control-max-age")).toBe("600");
  });

  it("paths outside /v1 are left alone", async () => {
    const r = await fetch(`${base}/healthz`, { headers: { origin } });
    expect(r.status).toBe(200);
    expect(r.headers.get("access-control-allow-origin")).toBeNull();
  });
});
