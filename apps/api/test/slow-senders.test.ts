import { connect, type Socket } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterEach, describe, expect, it } from "vitest";
import type { AppConfig } from "../src/config.ts";
import { readConfig } from "../src/config.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { CVR, OTHER_CVR, createTestApp, seedAuthority } from "./support/test-app.ts";

// Intake against slow senders, over real sockets to the app on a real Node HTTP server: bodies
// hold budget as their bytes arrive, within read deadlines, and every byte comes back.

const MB = 1024 * 1024;
let servers: ServerType[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const server of servers.splice(0)) {
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function start(config: Partial<AppConfig>) {
  const t = await createTestApp({ config });
  const slow = await seedAuthority(t, CVR);
  const other = await seedAuthority(t, OTHER_CVR);
  const port = await new Promise<number>((resolve) => {
    servers.push(serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => resolve(info.port)));
  });
  const budget = () => t.deps.intakeBudget;
  return { t, slow, other, port, budget };
}

type RawAnswer = { status: number; headers: Record<string, string>; body: string; at: number };

/**
 * A POST (to /v1/messages unless `path` says otherwise) over a raw socket: the headers at once, the body as the test writes it.
 * `answer` resolves when the server has answered and closed the connection.
 */
function rawPost(port: number, key: string, opts: { contentLength?: number; path?: string; contentType?: string }) {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  const chunked = opts.contentLength === undefined;
  socket.write(
    [
      `POST ${opts.path ?? "/v1/messages"} HTTP/1.1`,
      "Host: 127.0.0.1",
      `Authorization: Bearer ${key}`,
      `Content-Type: ${opts.contentType ?? "application/xml"}`,
      chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${opts.contentLength}`,
      "",
      "",
    ].join("\r\n"),
  );
  let received = "";
  let answeredAt = 0;
  socket.on("data", (d) => {
    received += d.toString("latin1");
    answeredAt ||= performance.now();
  });
  socket.on("error", () => {});
  const answer = new Promise<RawAnswer>((resolve) =>
    socket.on("close", () => {
      const [head = "", body = ""] = received.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      resolve({ status: Number(statusLine.split(" ")[1] ?? 0), headers, body, at: answeredAt });
    }),
  );
  let stop = false;
  socket.on("close", () => (stop = true));
  const write = (text: string) => {
    if (stop || socket.destroyed) return;
    socket.write(chunked ? `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n` : text);
  };
  /** Writes `text` every `ms` until the connection closes. */
  const trickle = (text: string, ms: number) => {
    const timer = setInterval(() => (stop ? clearInterval(timer) : write(text)), ms);
  };
  return { socket, write, trickle, answer };
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms))]);

describe("slow senders", () => {
  it("cannot starve others: bodies hold budget as they arrive, stalls and crawls are cut off with 408, and every byte comes back", async () => {
    const { slow, other, port, budget } = await start({
      maxBodyBytes: 30 * MB,
      intakeBudgetBytes: 64 * MB,
      bodyIdleTimeoutMs: 700,
      bodyTimeoutMs: 2500,
    });
    const crawling = [
      rawPost(port, slow.sender, { contentLength: 30 * MB }), // declares the most allowed, sends 3 bytes now and then
      rawPost(port, slow.sender, {}), // streamed, 3 bytes now and then
      rawPost(port, slow.sender, { contentLength: 30 * MB }),
    ];
    for (const c of crawling) c.trickle("<me", 200);
    const small = rawPost(port, slow.sender, { contentLength: 1000 }); // a small body that crawls too
    small.trickle("<me", 200);
    const stalled = [rawPost(port, slow.sender, { contentLength: 30 * MB }), rawPost(port, slow.sender, {})];
    for (const s of stalled) s.write("<memo:Message");
    await new Promise((r) => setTimeout(r, 300));
    expect(budget().inUse).toBeLessThan(2 * MB); // what arrived plus first slices, not 5 × 30 MB

    // A normal message from another authority's sender goes straight through.
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
      method: "POST",
      body: memoFor(OTHER_CVR).xml,
      signal: AbortSignal.timeout(5000),
      headers: { authorization: `Bearer ${other.sender}`, "content-type": "application/xml" },
    });
    const ms = performance.now() - t0;
    expect(res.status, await res.clone().text()).toBe(202);
    expect(ms).toBeLessThan(1000);

    const answers = await within(Promise.all([...crawling, small, ...stalled].map((c) => c.answer)), 6000, "the slow senders' answers");
    for (const a of answers) {
      expect(a.status).toBe(408);
      expect(a.headers["content-type"]).toContain("application/problem+json");
      expect(a.headers.connection).toBe("close");
      expect(JSON.parse(a.body)).toMatchObject({ status: 408, code: "request_timeout" });
    }
    // Stalled ones at the idle timeout, crawling ones at the total deadline.
    const [stalledAt, crawledAt] = [Math.max(...answers.slice(4).map((a) => a.at)), Math.min(...answers.slice(0, 3).map((a) => a.at))];
    expect(stalledAt).toBeLessThan(crawledAt);
    expect(JSON.parse(answers[4]!.body).detail).toContain("paused");
    // The small one is read whole: the shorter (idle) deadline is its only one.
    expect(JSON.parse(answers[3]!.body).detail).toContain("paused for more than");
    expect(JSON.parse(answers[0]!.body).detail).toContain("did not arrive within 2.5 s");
    expect(budget().inUse).toBe(0);
    expect(budget().waiting).toBe(0);
  }, 15_000);

  it("gives every byte back when the client goes away mid-body", async () => {
    const { slow, port, budget } = await start({ bodyIdleTimeoutMs: 5000, bodyTimeoutMs: 10_000 });
    const declared = rawPost(port, slow.sender, { contentLength: 5 * MB });
    declared.write("x".repeat(300_000));
    const streamed = rawPost(port, slow.sender, {});
    streamed.write("x".repeat(300_000));
    const small = rawPost(port, slow.sender, { contentLength: 1000 });
    small.write("<memo");
    for (let i = 0; i < 50 && budget().inUse < 600_000; i++) await new Promise((r) => setTimeout(r, 20));
    expect(budget().inUse).toBeGreaterThanOrEqual(600_000);
    for (const c of [declared, streamed, small]) c.socket.destroy();
    for (let i = 0; i < 100 && budget().inUse > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(budget().inUse).toBe(0);
  });

  it("keeps one key to its share of the budget: the others' message goes through while that key waits", async () => {
    const { slow, other, port, budget } = await start({
      intakeBudgetBytes: 1 * MB,
      intakeKeyBudgetBytes: MB / 2,
      bodyIdleTimeoutMs: 800,
      bodyTimeoutMs: 5000,
    });
    // Two bodies of one key that have sent 300 KB each: the second may not grow past the key's share.
    const a = rawPost(port, slow.sender, { contentLength: 400_000 });
    a.write("x".repeat(300_000));
    await new Promise((r) => setTimeout(r, 100));
    const b = rawPost(port, slow.sender, { contentLength: 400_000 });
    b.write("x".repeat(300_000));
    for (let i = 0; i < 50 && budget().waiting === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(budget().waiting).toBe(1); // the second waits for its key's share, not for the whole budget
    expect(budget().inUse).toBeLessThanOrEqual(MB / 2);
    const res = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
      method: "POST",
      body: memoFor(OTHER_CVR).xml,
      signal: AbortSignal.timeout(3000),
      headers: { authorization: `Bearer ${other.sender}`, "content-type": "application/xml" },
    });
    expect(res.status).toBe(202);
    const answers = await within(Promise.all([a.answer, b.answer]), 6000, "the key's answers");
    for (const x of answers) expect([408, 503]).toContain(x.status);
    expect(budget().inUse).toBe(0);
  }, 15_000);

  it("cuts off a JSON body that stalls or crawls with the same 408 as a MeMo's, and changes nothing", async () => {
    const { t, slow, port } = await start({ bodyIdleTimeoutMs: 500, bodyTimeoutMs: 1500 });
    const path = `/v1/authorities/${CVR}/recipient-systems/${slow.primary.id}/signing-secret`;
    const json = { path, contentType: "application/json" };
    const stalled = rawPost(port, slow.admin, { ...json, contentLength: 20 });
    stalled.write('{"graceHours"');
    const crawling = rawPost(port, slow.admin, json); // streamed, a byte now and then: never idle, never done
    crawling.trickle(" ", 200);
    const [a, b] = await within(Promise.all([stalled.answer, crawling.answer]), 4000, "the slow JSON bodies' answers");
    for (const x of [a, b]) {
      expect(x.status).toBe(408);
      expect(x.headers["content-type"]).toContain("application/problem+json");
      expect(x.headers.connection).toBe("close");
      expect(JSON.parse(x.body)).toMatchObject({ status: 408, code: "request_timeout" });
    }
    expect(JSON.parse(a.body).detail).toContain("paused for more than 0.5 s");
    expect(JSON.parse(b.body).detail).toContain("did not arrive within 1.5 s");
    const rotated = await t.db.selectFrom("events").select("id").where("type", "=", "signing_secret_rotated").execute();
    expect(rotated).toEqual([]);
  }, 10_000);

  it("on Workers (no queueing) answers 503 intake_busy with Retry-After at once when there is no room", async () => {
    const { slow, other, port, budget } = await start({
      intakeQueueing: false,
      intakeBudgetBytes: 200_000,
      bodyIdleTimeoutMs: 3000,
      bodyTimeoutMs: 5000,
    });
    const hog = rawPost(port, slow.sender, { contentLength: 150_000 });
    hog.write("x".repeat(149_000));
    for (let i = 0; i < 50 && budget().inUse < 149_000; i++) await new Promise((r) => setTimeout(r, 20));
    expect(budget().inUse).toBeGreaterThanOrEqual(149_000);
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${port}/v1/messages`, {
        method: "POST",
        body,
        signal: AbortSignal.timeout(2000),
        headers: { authorization: `Bearer ${other.sender}`, "content-type": "application/xml" },
      });
    const fits = await post(memoFor(OTHER_CVR).xml);
    expect(fits.status, await fits.text()).toBe(202); // what fits goes through
    const t0 = performance.now();
    const busy = await post(`<memo:Message>${"x".repeat(60_000)}</memo:Message>`);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toMatch(/^\d+$/);
    // A widget on another origin may read it.
    expect(busy.headers.get("access-control-expose-headers")).toContain("retry-after");
    expect(busy.headers.get("content-type")).toContain("application/problem+json");
    expect(await busy.json()).toMatchObject({ status: 503, code: "intake_busy" });
    hog.socket.destroy();
    for (let i = 0; i < 100 && budget().inUse > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(budget().inUse).toBe(0);
  });
});

describe("read deadline settings", () => {
  const base = { POSTVEJ_OPERATOR_TOKEN: "op_config_test_0123456789" };
  it("default to 10 s idle and 60 s in all, and queue on Node", () => {
    expect(readConfig(base, { production: false })).toMatchObject({
      bodyIdleTimeoutMs: 10_000,
      bodyTimeoutMs: 60_000,
      intakeQueueing: true,
      intakeKeyBudgetBytes: 32 * MB,
    });
    expect(readConfig(base, { production: true, runtime: "workers" }).intakeQueueing).toBe(false);
    expect(
      readConfig(
        { ...base, POSTVEJ_BODY_IDLE_TIMEOUT_MS: "2500", POSTVEJ_BODY_TIMEOUT_MS: "30000", POSTVEJ_INTAKE_KEY_BUDGET_MB: "16" },
        { production: false },
      ),
    ).toMatchObject({ bodyIdleTimeoutMs: 2500, bodyTimeoutMs: 30_000, intakeKeyBudgetBytes: 16 * MB });
  });
  it.each([
    ["POSTVEJ_BODY_IDLE_TIMEOUT_MS", "ten", "POSTVEJ_BODY_IDLE_TIMEOUT_MS=ten is not a whole number from 50 to 600000"],
    ["POSTVEJ_BODY_TIMEOUT_MS", "0", "POSTVEJ_BODY_TIMEOUT_MS=0 is not a whole number from 100 to 3600000"],
    ["POSTVEJ_INTAKE_KEY_BUDGET_MB", "65", "POSTVEJ_INTAKE_KEY_BUDGET_MB=65 is not a number from 0.001 to 64"],
  ])("refuse %s=%s", (name, value, message) => {
    expect(() => readConfig({ ...base, [name]: value }, { production: false })).toThrow(message);
  });
});
