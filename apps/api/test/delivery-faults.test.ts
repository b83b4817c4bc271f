import { claimDueMessages } from "@postvej/db";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { claimDue, deliverClaimed, deliverDue } from "../src/delivery/deliver-due.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { startRecipientServer, type Behaviour } from "./support/recipient-server.ts";
import { pushFixture } from "./support/push-fixture.ts";
import { CVR, seedAuthority, type TestApp } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };
let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
let r: Awaited<ReturnType<typeof startRecipientServer>>;

beforeEach(async () => void ({ r, t, s } = await pushFixture({ pushTimeoutMs: 300 })));
afterEach(() => r.close());

async function sendTo(cp: string | null, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = memoFor(CVR, cp ? { contactPointId: cp } : {});
    const res = await t.call("POST", "/v1/messages", s.sender, m.xml, XML);
    if (res.status !== 202) throw new Error(res.text);
    out.push(m.uuid);
  }
  return out;
}
const message = async (uuid: string) => (await t.call("GET", `/v1/messages/${uuid}`, s.admin)).json;
// Leases run on the wall clock; the test moves its own.
let wall = Date.parse("2026-11-27T09:00:00Z");
const deps = () => ({ ...t.deps, wallClock: () => wall });

describe("delivery faults: nothing lost, nothing doubled", () => {
  const faults: [string, Behaviour, string][] = [
    ["a 500", (_q, res) => void res.writeHead(500), "http_500"],
    ["a timeout", () => "handled", "timeout"],
    ["a reset connection", (_q, res) => void res.socket?.destroy(), "connection_reset"],
    ["a redirect", (_q, res) => void res.writeHead(302, { location: "http://127.0.0.1:1/x" }), "redirect_not_followed"],
  ];
  it.each(faults)("%s is a failed attempt, recorded and retried on the schedule", async (_n, behaviour, error) => {
    r.set("/primary", behaviour);
    const [uuid] = await sendTo(null, 1);
    await deliverDue(deps());
    const m = await message(uuid!);
    expect(m.state).toBe("queued");
    expect(m.attempts).toHaveLength(1);
    expect(m.attempts[0]).toMatchObject({ outcome: "failed", error: expect.stringContaining(error) });
    // Attempt 1 failed → retry after 30 s ± 20 %, never sooner.
    const wait = Date.parse(m.nextAttemptAt) - Date.parse(m.attempts[0].at);
    expect(wait).toBeGreaterThanOrEqual(24_000);
    expect(wait).toBeLessThanOrEqual(36_000);
    r.set("/primary", 204);
    t.clock.set(new Date(Date.parse(m.nextAttemptAt) + 1).toISOString());
    await deliverDue(deps());
    expect((await message(uuid!)).state).toBe("delivered");
    expect(r.delivered("/primary")).toEqual(new Set([uuid]));
  });

  it("429 with Retry-After is honoured within bounds", async () => {
    r.set("/primary", (_q, res) => void res.writeHead(429, { "retry-after": "120" }));
    const [uuid] = await sendTo(null, 1);
    await deliverDue(deps());
    const m = await message(uuid!);
    expect(Date.parse(m.nextAttemptAt) - Date.parse(m.attempts[0].at)).toBe(120_000);
    r.set("/primary", (_q, res) => void res.writeHead(503, { "retry-after": "999999" }));
    t.clock.set(m.nextAttemptAt);
    await deliverDue(deps());
    const m2 = await message(uuid!);
    expect(Date.parse(m2.nextAttemptAt) - Date.parse(m2.attempts[1].at)).toBe(3_600_000);
  });

  it("a slow system does not hold up a fast one", async () => {
    r.set("/other", () => "handled"); // never answers: every push times out
    const slow = await sendTo(s.cpOther.id, 12);
    const fast = await sendTo(null, 12);
    const report = await deliverDue(deps(), { batch: 500, perSystem: 50, perSystemConcurrency: 4 });
    // The slow system's first pushes time out; the rest of its share is given back for later, unattempted.
    expect(report.delivered).toBe(12);
    expect(report.failed).toBeLessThanOrEqual(4);
    expect(report.failed + report.skipped).toBe(12);
    expect(r.delivered("/primary")).toEqual(new Set(fast));
    for (const uuid of slow) expect((await message(uuid)).state).toBe("queued");
    // The fast system's messages were all answered before the slow system's first push timed out
    // (the order the receiver saw things in, not wall-clock times).
    // The receiver hears of an abandoned push when its connection closes, just after the timeout.
    const firstTimeout = () => r.seen.findIndex((e) => e.path === "/other" && e.kind === "abandoned");
    await vi.waitFor(() => expect(firstTimeout()).toBeGreaterThan(-1));
    const lastFast = r.seen.findLastIndex((e) => e.path === "/primary" && e.kind === "answered");
    expect(slow.length).toBe(12);
    expect(r.seen.filter((e) => e.path === "/primary" && e.kind === "answered")).toHaveLength(12);
    expect(lastFast).toBeLessThan(firstTimeout());
  });

  it("a dead system's backlog never crowds out another system's post", async () => {
    r.set("/other", (_q, res) => void res.socket?.destroy());
    await sendTo(s.cpOther.id, 60);
    t.clock.set("2026-11-27T09:01:00Z"); // the dead system's backlog is older than the fresh letter
    const [fresh] = await sendTo(null, 1);
    const report = await deliverDue(deps(), { batch: 50, perSystem: 50, perSystemConcurrency: 4 });
    expect(r.delivered("/primary")).toEqual(new Set([fresh]));
    expect(report.delivered).toBe(1);
    // The unreachable system cost a few attempts, not fifty.
    expect(r.hits.filter((h) => h.path === "/other").length).toBeLessThanOrEqual(4);
  });

  it("two runs at once never send a message twice", async () => {
    const uuids = await sendTo(null, 30);
    const [a, b] = await Promise.all([deliverDue(deps()), deliverDue(deps())]);
    expect(a.delivered + b.delivered).toBe(30);
    expect(r.hits.filter((h) => h.path === "/primary").length).toBe(30);
    expect(r.delivered("/primary")).toEqual(new Set(uuids));
  });

  it("a run killed halfway loses nothing: its claims lapse and a later run delivers the rest", async () => {
    const uuids = await sendTo(null, 10);
    // The "killed" run claimed everything and pushed only the first three before dying.
    const dead = await claimDue(deps(), { batch: 500, perSystem: 50, perSystemConcurrency: 1 });
    await deliverClaimed(deps(), dead.token, dead.claimed.slice(0, 3), { batch: 500, perSystem: 50, perSystemConcurrency: 1 });
    // While the lease holds, another run cannot touch the rest.
    expect((await deliverDue(deps())).claimed).toBe(0);
    // Domain time moving on does not break a lease; the wall clock passing it does.
    t.clock.set("2026-11-27T10:00:00Z");
    expect((await deliverDue(deps())).claimed).toBe(0);
    wall += 10 * 60_000;
    const later = await deliverDue(deps());
    expect(later.delivered).toBe(7);
    expect(r.delivered("/primary")).toEqual(new Set(uuids));
    expect(r.hits.length).toBe(10);
  });

  it("due work is found through the partial index, not a scan", async () => {
    // The claim's own lookup, system by system (repos/delivery.ts names the index it needs).
    const plan =
      await sql`EXPLAIN QUERY PLAN SELECT uuid FROM messages WHERE custodian_system_id = ${"sys"} AND state = 'queued' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ${"2026-11-27T09:00:00Z"} ORDER BY next_attempt_at LIMIT 10`.execute(
        t.db,
      );
    expect(JSON.stringify(plan.rows)).toContain("USING INDEX messages_due_by_system");
    expect(JSON.stringify(plan.rows)).not.toContain("TEMP B-TREE");
    const claimed = await claimDueMessages(t.db, {
      now: "2026-11-27T09:00:00Z",
      leaseNow: "2026-11-27T09:00:00Z",
      limit: 1,
      perSystemLimit: 1,
      leaseUntil: "2026-11-27T09:10:00Z",
      token: "x",
    });
    expect(claimed).toEqual([]);
  });
});

describe("no message waits on a deactivated system", () => {
  it("post routed to a system in the instant it was deactivated moves on at the next tick", async () => {
    r.set("/primary", 204);
    const [uuid] = await sendTo(s.cpOther.id, 1);
    // The deactivation committed between routing and storing: the message still names the system.
    await t.db
      .updateTable("recipient_systems")
      .set({ state: "deactivated", deactivation_reason: "manual" })
      .where("id", "=", s.other.id)
      .execute();
    await t.deps.runJobs(await t.clock.now());
    await t.deps.runJobs(await t.clock.now());
    const m = await message(uuid!);
    expect(m).toMatchObject({ state: "delivered", custodian: { recipientSystemId: s.primary.id } });
    expect(r.delivered("/primary")).toEqual(new Set([uuid]));
  });
});
