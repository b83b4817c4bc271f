// A remote database that stops answering must not leave intake requests unanswered (issue 10 §3:
// an intake request was seen to hang for 300 s against sqld under load): every HTTP request to
// the database has a deadline, the request is answered 503, and intake works again afterwards.
import { afterAll, describe, expect, it } from "vitest";
import { startSqld, type Sqld } from "../../../packages/db/test/sqld.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { callServer, startNodeServer, stopNodeServer, type NodeServer } from "./support/node-server.ts";
import { startStallProxy } from "./support/stall-proxy.ts";

const OPERATOR = "op_stalled_database_test_0123456789";
const CVR = "29189846";

describe("a database that stops answering", () => {
  let sqld: Sqld | undefined;
  let proxy: Awaited<ReturnType<typeof startStallProxy>> | undefined;
  let server: NodeServer | undefined;
  afterAll(async () => {
    await stopNodeServer(server);
    await proxy?.close();
    await sqld?.stop();
  });

  it("an intake waiting on it is answered 503 within the deadline, and intake recovers when it answers again", async () => {
    sqld = await startSqld();
    const u = new URL(sqld.url);
    proxy = await startStallProxy({ host: u.hostname, port: Number(u.port) });
    server = await startNodeServer({
      LIBSQL_URL: proxy.url,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_DB_TIMEOUT_MS: "1500",
      POSTVEJ_MAIL_URL: "file:/dev/null/none",
    });
    const call = (method: string, path: string, token: string, body?: unknown, type?: string) =>
      callServer(server!.base, method, path, token, body, type);
    expect((await call("POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "Stall" })).status).toBe(201);
    const sender = (await call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "sender", label: "s" })).json.key as string;
    const first = memoFor(CVR);
    expect((await call("POST", "/v1/messages", sender, first.xml, "application/xml")).status).toBe(202);

    proxy.stall();
    const stalled = memoFor(CVR);
    const started = Date.now();
    const res = await fetch(`${server.base}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${sender}`, "content-type": "application/xml" },
      body: stalled.xml,
      signal: AbortSignal.timeout(20_000),
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await res.json()) as { code: string }).toMatchObject({ code: "database_unavailable" });
    expect(res.headers.get("retry-after")).not.toBeNull();

    // Requests waiting at once each get their own deadline, not one after another's (they queued
    // behind one connection mutex: the last of these three answered after 6 s).
    const together = Date.now();
    const health = await Promise.all([1, 2, 3].map(() => fetch(`${server!.base}/healthz`, { signal: AbortSignal.timeout(20_000) })));
    expect(health.map((h) => h.status)).toEqual([503, 503, 503]);
    expect(Date.now() - together).toBeLessThan(2 * 1500);

    proxy.flow();
    // The same message again is safe: stored once (202) whether or not the stalled write landed (200).
    const again = await call("POST", "/v1/messages", sender, stalled.xml, "application/xml");
    expect([200, 202]).toContain(again.status);
    const next = memoFor(CVR);
    expect((await call("POST", "/v1/messages", sender, next.xml, "application/xml")).status).toBe(202);
    expect((await call("GET", `/v1/messages/${stalled.uuid}`, sender)).status).toBe(200);
  }, 90_000);
});

describe("a database that is gone", () => {
  let sqld: Sqld | undefined;
  let server: NodeServer | undefined;
  afterAll(async () => {
    await stopNodeServer(server);
    await sqld?.stop();
  });

  it("/healthz and intake answer 503 database_unavailable with Retry-After, not 500, while it cannot be reached", async () => {
    sqld = await startSqld();
    server = await startNodeServer({ LIBSQL_URL: sqld.url, POSTVEJ_OPERATOR_TOKEN: OPERATOR, POSTVEJ_MAIL_URL: "file:/dev/null/none" });
    const call = (method: string, path: string, token: string, body?: unknown, type?: string) =>
      callServer(server!.base, method, path, token, body, type);
    expect((await call("POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "Gone" })).status).toBe(201);
    const sender = (await call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "sender", label: "s" })).json.key as string;
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);

    await sqld.stop();
    sqld = undefined;
    const health = await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(20_000) });
    expect(health.status).toBe(503);
    expect(health.headers.get("retry-after")).toBe("5");
    expect((await health.json()) as { code: string; detail: string }).toMatchObject({
      code: "database_unavailable",
      detail: expect.stringContaining("cannot be reached"),
    });
    const intake = await call("POST", "/v1/messages", sender, memoFor(CVR).xml, "application/xml");
    expect(intake.status).toBe(503);
    expect(intake.json.code).toBe("database_unavailable");
  }, 90_000);
});
