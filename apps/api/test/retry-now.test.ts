import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { AuthorityStatus, Redelivery, RetryNow } from "@postvej/contract";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MESSAGE_META_COLUMNS } from "@postvej/db";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import type { startRecipientServer } from "./support/recipient-server.ts";
import { must } from "./support/reply.ts";
import { addPullSystem, createPullSystem, CVR, type seedAuthority, type TestApp } from "./support/test-app.ts";

// Issue 12 §4: "retry now" for a system and a message, and every failure's reason, through HTTP
// against a real loopback receiver; the app's clock is moved by hand, nothing sleeps.
const XML = { "content-type": "application/xml" };
let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
let r: Awaited<ReturnType<typeof startRecipientServer>>;
/** The delivery runs the app kicked (intake, redeliver, retry-now), as the Node entry's pump would start them. */
let kicks: { systemId: string | undefined; run: Promise<void> }[];

beforeEach(async () => {
  ({ r, t, s } = await pushFixture({ pushTimeoutMs: 1_000 }));
  kicks = [];
  t.deps.kickDeliveries = (systemId) => {
    const run = deliverDue(t.deps).then(() => undefined);
    kicks.push({ systemId, run });
    return run;
  };
});
afterEach(() => r.close());

/** Waits for every delivery run kicked so far; answers the systems they were kicked for. */
async function settle(): Promise<(string | undefined)[]> {
  const done = kicks.splice(0);
  await Promise.all(done.map((k) => k.run));
  return done.map((k) => k.systemId);
}
async function send(cp: string | null, n = 1): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = memoFor(CVR, cp ? { contactPointId: cp } : {});
    must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
    out.push(m.uuid);
  }
  await settle();
  return out;
}
const message = async (uuid: string) => must(await t.call("GET", `/v1/messages/${uuid}`, s.admin), 200);
const hitsOf = (uuid: string) => r.hits.filter((h) => h.uuid === uuid);
const advance = async (ms: number) => t.clock.set(new Date((await t.clock.now()).getTime() + ms).toISOString());
// Every column of a message row, to copy one row many times over in SQL (their bodies are never read: nothing pushes the copies).
const COLUMNS = MESSAGE_META_COLUMNS;
const retryNowPath = (id: string) => `/v1/authorities/${CVR}/recipient-systems/${id}/retry-now`;
async function statusOf(id: string) {
  const status = must(await t.call("GET", `/v1/authorities/${CVR}/status`, s.admin), 200);
  expect(AuthorityStatus.safeParse(status).success).toBe(true);
  return (status.systems as { id: string }[]).find((x) => x.id === id) as any;
}

describe("retry-now: a fixed system gets its post at once", () => {
  it("a failing system, fixed, receives everything at once after retry-now instead of after its back-off", async () => {
    r.set("/primary", 500);
    const uuids = await send(null, 3);
    // Two rounds of failures: the next attempt is a minute or more away.
    await advance(40_000);
    await deliverDue(t.deps);
    for (const u of uuids) {
      const m = await message(u);
      expect(m).toMatchObject({ state: "queued" });
      expect(m.attempts.map((a: { attempt: number; statusCode: number; error: string }) => [a.attempt, a.statusCode, a.error])).toEqual([
        [1, 500, "http_500"],
        [2, 500, "http_500"],
      ]);
      expect(Date.parse(m.nextAttemptAt) - Date.parse((await t.deps.clock.now()).toISOString())).toBeGreaterThan(45_000);
    }
    // The vendor fixes the endpoint; at this moment nothing is due.
    r.set("/primary", 204);
    expect((await deliverDue(t.deps)).claimed).toBe(0);

    const first = await t.call("POST", retryNowPath(s.primary.id), s.admin);
    expect(first.status).toBe(202);
    expect(RetryNow.safeParse(first.json).success).toBe(true);
    expect(first.json).toEqual({
      recipientSystemId: s.primary.id,
      requestedAt: (await t.deps.clock.now()).toISOString(),
      requestedBy: { kind: "api_key", name: "admin" },
      madeDue: 3,
      limit: 10_000,
      more: false,
    });
    // The delivery kick fires as after intake, for that system, and delivers without the clock moving.
    expect(await settle()).toEqual([s.primary.id]);
    for (const u of uuids) {
      const m = await message(u);
      expect(m.state).toBe("delivered");
      expect(m.attempts.at(-1)).toMatchObject({ attempt: 3, outcome: "delivered", statusCode: 204, error: null });
    }
    expect(r.delivered("/primary")).toEqual(new Set(uuids));
    const events = must(await t.call("GET", `/v1/authorities/${CVR}/events?type=retry_now`, s.admin), 200).items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ recipientSystemId: s.primary.id, messageUUID: null, data: { by: "admin", madeDue: 3, more: false } });
  });

  it("is idempotent within a minute: the same answer, no second event, no kick; a minute later it acts again", async () => {
    // The receiver asks for an hour's pause each time.
    r.set("/primary", (_q, res) => void res.writeHead(503, { "retry-after": "3600" }));
    const [u] = await send(null, 1);
    const first = must(await t.call("POST", retryNowPath(s.primary.id), s.admin), 202);
    await settle(); // the receiver still answers 503: attempt 2 failed, its retry is an hour away again
    expect((await message(u!)).attempts).toHaveLength(2);

    await advance(59_000);
    const again = await t.call("POST", retryNowPath(s.primary.id), s.admin);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first);
    expect(kicks).toHaveLength(0);
    expect(hitsOf(u!)).toHaveLength(2);
    expect(must(await t.call("GET", `/v1/authorities/${CVR}/events?type=retry_now`, s.admin), 200).items).toHaveLength(1);

    await advance(1_000);
    r.set("/primary", 204);
    const later = must(await t.call("POST", retryNowPath(s.primary.id), s.admin), 202);
    expect(later).toMatchObject({ madeDue: 1, more: false });
    expect(later.requestedAt).not.toBe(first.requestedAt);
    await settle();
    expect((await message(u!)).state).toBe("delivered");
    expect(hitsOf(u!).map((h) => h.attempt)).toEqual([1, 2, 3]);
  });

  it("a portal token with `reactivate` may retry; bad calls are clear 4xx and change nothing", async () => {
    r.set("/other", 500);
    const [u] = await send(s.cpOther.id, 1);
    const before = (await message(u!)).nextAttemptAt;
    const portal = (cap: string) =>
      t
        .call("POST", `/v1/authorities/${CVR}/portal-sessions`, s.admin, { capabilities: [cap], user: { name: "Lis" } })
        .then((x) => must(x, 201).token as string);
    // A sender key, a view-only portal token, another authority's path and an unknown system: 404.
    expect((await t.call("POST", retryNowPath(s.other.id), s.sender)).status).toBe(404);
    expect((await t.call("POST", retryNowPath(s.other.id), await portal("view"))).status).toBe(404);
    expect((await t.call("POST", `/v1/authorities/12345674/recipient-systems/${s.other.id}/retry-now`, s.admin)).status).toBe(404);
    expect((await t.call("POST", retryNowPath("rs_nope"), s.admin)).status).toBe(404);
    expect((await message(u!)).nextAttemptAt).toBe(before);

    // A pull system fetches its own post.
    const pull = await createPullSystem(t, s.admin);
    const notPush = await t.call("POST", retryNowPath(pull.id), s.admin);
    expect(notPush.status).toBe(409);
    expect(notPush.json.code).toBe("not_push_system");
    expect(notPush.headers.get("content-type")).toContain("application/problem+json");

    // A deactivated system: 409 system_deactivated (its post moved on with the deactivation).
    must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${pull.id}/deactivate`, s.admin), 200);
    const deactivated = await t.call("POST", retryNowPath(pull.id), s.admin);
    expect(deactivated.status).toBe(409);
    expect(deactivated.json.code).toBe("system_deactivated");
    expect(must(await t.call("GET", `/v1/authorities/${CVR}/events?type=retry_now`, s.admin), 200).items).toHaveLength(0);

    // The portal user is named as the actor.
    r.set("/other", 204);
    const ok = must(await t.call("POST", retryNowPath(s.other.id), await portal("reactivate")), 202);
    expect(ok).toMatchObject({ requestedBy: { kind: "portal_user", name: "Lis" }, madeDue: 1 });
    await settle();
    expect((await message(u!)).state).toBe("delivered");
  });
});

describe("retry-now is bounded", () => {
  it("makes at most 10,000 due a call and says more remain; the next call within the minute goes on, and then answers the same", async () => {
    r.set("/primary", 500);
    const [u] = await send(null, 1);
    // 10,001 queued messages on the primary waiting for a later attempt: copies of the failed one
    // (written straight into the database: intake of that many would make the test slow, not truer).
    await sql`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
      INSERT INTO messages (${sql.raw(COLUMNS.join(", "))}) SELECT ${sql.raw(COLUMNS.map((c) => (c === "uuid" ? "printf('00000000-0000-4000-8000-%012d', i)" : c)).join(", "))}
      FROM messages, n WHERE messages.uuid = ${u}`.execute(t.db);
    const runs: (string | undefined)[] = [];
    t.deps.kickDeliveries = (systemId) => void runs.push(systemId); // counted, not run: 10,001 pushes would only slow the test
    const first = must(await t.call("POST", retryNowPath(s.primary.id), s.admin), 202);
    expect(first).toMatchObject({ madeDue: 10_000, limit: 10_000, more: true });
    const second = must(await t.call("POST", retryNowPath(s.primary.id), s.admin), 202);
    expect(second).toMatchObject({ madeDue: 1, more: false });
    const third = await t.call("POST", retryNowPath(s.primary.id), s.admin);
    expect(third.status).toBe(200);
    expect(third.json).toEqual(second);
    expect(runs).toEqual([s.primary.id, s.primary.id]);
  });
});

describe("redeliver: one message again, now", () => {
  it("a delivered message reaches the receiver a second time, attempt numbering going on, recorded with its actor", async () => {
    const [u] = await send(null, 1);
    expect((await message(u!)).state).toBe("delivered");
    const path = `/v1/messages/${u}/redeliver`;
    const first = await t.call("POST", path, s.admin);
    expect(first.status).toBe(202);
    expect(Redelivery.safeParse(first.json).success).toBe(true);
    const now = (await t.deps.clock.now()).toISOString();
    expect(first.json).toEqual({
      messageUUID: u,
      recipientSystemId: s.primary.id,
      requestedAt: now,
      requestedBy: { kind: "api_key", name: "admin" },
      previousState: "delivered",
      state: "queued",
      nextAttemptAt: now,
    });
    expect(await settle()).toEqual([s.primary.id]);
    expect(hitsOf(u!).map((h) => [h.attempt, h.status])).toEqual([
      [1, 204],
      [2, 204],
    ]);
    const m = await message(u!);
    expect(m.state).toBe("delivered");
    expect(m.attempts.map((a: { attempt: number; outcome: string }) => [a.attempt, a.outcome])).toEqual([
      [1, "delivered"],
      [2, "delivered"],
    ]);
    expect(m.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(["manual_redelivery"]));
    expect(m.events.find((e: { type: string }) => e.type === "manual_redelivery")).toMatchObject({
      recipientSystemId: s.primary.id,
      data: { by: "admin", previousState: "delivered" },
    });

    // Within a minute: the same answer, 200, and no push.
    await advance(30_000);
    const again = await t.call("POST", path, s.admin);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(kicks).toHaveLength(0);
    expect((await deliverDue(t.deps)).claimed).toBe(0);
    expect(hitsOf(u!)).toHaveLength(2);

    // A minute after the first: a new redelivery, attempt 3.
    await advance(30_000);
    must(await t.call("POST", path, s.admin), 202);
    await settle();
    expect(hitsOf(u!).map((h) => h.attempt)).toEqual([1, 2, 3]);
  });

  it("two calls at once make one redelivery and one push", async () => {
    const [u] = await send(null, 1);
    const both = await Promise.all([1, 2].map(() => t.call("POST", `/v1/messages/${u}/redeliver`, s.admin)));
    expect(both.map((b) => b.status).sort()).toEqual([200, 202]);
    expect(both[0]!.json).toEqual(both[1]!.json);
    await settle();
    expect(hitsOf(u!).map((h) => h.attempt)).toEqual([1, 2]);
    expect((await message(u!)).events.filter((e: { type: string }) => e.type === "manual_redelivery")).toHaveLength(1);
  });

  it("a queued message waiting for its back-off goes now; its first failure (the day 2 / 5 / 7 clock) stays", async () => {
    r.set("/primary", 500);
    const [u] = await send(null, 1);
    const failed = await message(u!);
    expect(Date.parse(failed.nextAttemptAt)).toBeGreaterThan(Date.parse((await t.deps.clock.now()).toISOString()));
    r.set("/primary", 204);
    const red = must(await t.call("POST", `/v1/messages/${u}/redeliver`, s.admin), 202);
    expect(red).toMatchObject({ previousState: "queued", nextAttemptAt: (await t.deps.clock.now()).toISOString() });
    await settle();
    const m = await message(u!);
    expect(m.state).toBe("delivered");
    expect(m.attempts.map((a: { attempt: number; statusCode: number }) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 204],
    ]);
  });

  it("a pull system's delivered message is back in its waiting list", async () => {
    const { system: pull, contactPoint: cp, key } = await addPullSystem(t, s.admin);
    const waiting = async () =>
      must(await t.call("GET", "/v1/recipient/messages", key), 200).items.map((i: { messageUUID: string }) => i.messageUUID);
    const [u] = await send(cp.id, 1);
    must(await t.call("GET", `/v1/recipient/messages/${u}`, key), 200);
    must(await t.call("POST", `/v1/recipient/messages/${u}/receipt`, key, { status: "COMPLETED" }), 200);
    expect(await waiting()).toEqual([]);

    const red = must(await t.call("POST", `/v1/messages/${u}/redeliver`, s.admin), 202);
    expect(red).toMatchObject({ recipientSystemId: pull.id, previousState: "delivered", state: "queued", nextAttemptAt: null });
    expect(kicks).toHaveLength(0);
    expect(await waiting()).toEqual([u]);
    must(await t.call("GET", `/v1/recipient/messages/${u}`, key), 200);
    must(await t.call("POST", `/v1/recipient/messages/${u}/receipt`, key, { status: "RECEIVED" }), 200);
    const m = await message(u!);
    expect(m).toMatchObject({ state: "delivered", receipt: { status: "RECEIVED" } });
    expect(m.attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2]);
  });

  it("only an admin key of the message's authority, and only queued or delivered post: clear 4xx, nothing changes", async () => {
    const [u] = await send(null, 1);
    expect((await t.call("POST", `/v1/messages/${u}/redeliver`, s.sender)).status).toBe(404);
    const portal = must(
      await t.call("POST", `/v1/authorities/${CVR}/portal-sessions`, s.admin, {
        capabilities: ["view", "reactivate"],
        user: { name: "Lis" },
      }),
      201,
    ).token;
    expect((await t.call("POST", `/v1/messages/${u}/redeliver`, portal)).status).toBe(404);
    expect((await t.call("POST", `/v1/messages/${crypto.randomUUID()}/redeliver`, s.admin)).status).toBe(404);
    expect(hitsOf(u!)).toHaveLength(1);

    // Held for its value date: 409 not_redeliverable.
    const held = memoFor(CVR, { valueDate: "2026-12-03" });
    expect(must(await t.call("POST", "/v1/messages", s.sender, held.xml, XML), 202).state).toBe("held");
    const refused = await t.call("POST", `/v1/messages/${held.uuid}/redeliver`, s.admin);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: "not_redeliverable", status: 409 });
    expect((await message(held.uuid)).state).toBe("held");

    // At a deactivated system (its post moved on to Virk with the primary's deactivation): in_virk is not redeliverable.
    must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}/deactivate`, s.admin), 200);
    const [v] = await send(null, 1);
    expect((await message(v!)).state).toBe("in_virk");
    const inVirk = await t.call("POST", `/v1/messages/${v}/redeliver`, s.admin);
    expect(inVirk.status).toBe(409);
    expect(inVirk.json.code).toBe("not_redeliverable");
    // A delivered message whose system is deactivated now: 409 system_deactivated.
    const gone = await t.call("POST", `/v1/messages/${u}/redeliver`, s.admin);
    expect(gone.status).toBe(409);
    expect(gone.json.code).toBe("system_deactivated");
    expect((await message(u!)).events.filter((e: { type: string }) => e.type === "manual_redelivery")).toHaveLength(0);
  });
});

describe("every failed attempt keeps its reason", () => {
  it("the status answer shows a 401 receiver's last failure; the message shows every attempt's", async () => {
    r.set("/other", 401);
    const [u] = await send(s.cpOther.id, 1);
    const st = await statusOf(s.other.id);
    const m = await message(u!);
    expect(m.attempts).toEqual([
      {
        attempt: 1,
        at: expect.any(String),
        recipientSystemId: s.other.id,
        outcome: "failed",
        statusCode: 401,
        error: "http_401",
        durationMs: expect.any(Number),
      },
    ]);
    expect(st.lastFailure).toEqual({
      at: m.attempts[0].at,
      statusCode: 401,
      error: "http_401",
      durationMs: m.attempts[0].durationMs,
      messageUUID: u,
    });
    expect((await statusOf(s.primary.id)).lastFailure).toBeNull();
  });

  it("a refused connection is recorded without a status, and the last failure is the latest one", async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, "127.0.0.1", ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    must(
      await t.call("PATCH", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}`, s.admin, {
        endpoint: `http://127.0.0.1:${port}/gone`,
      }),
      200,
    );
    r.set("/other", 500);
    const [a] = await send(s.cpOther.id, 1);
    expect((await statusOf(s.other.id)).lastFailure).toMatchObject({ statusCode: null, error: "connection_refused", messageUUID: a });
    must(await t.call("PATCH", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}`, s.admin, { endpoint: r.url("/other") }), 200);
    await advance(60_000);
    await deliverDue(t.deps);
    const last = (await statusOf(s.other.id)).lastFailure;
    expect(last).toMatchObject({ statusCode: 500, error: "http_500", messageUUID: a });
    expect(last.durationMs).toBeGreaterThanOrEqual(0);
    expect((await message(a!)).attempts.map((x: { statusCode: number | null; error: string }) => [x.statusCode, x.error])).toEqual([
      [null, "connection_refused"],
      [500, "http_500"],
    ]);
  });
});
