import { openNodeDatabase } from "@postvej/db/node";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { simulatedClock } from "../src/clock.ts";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { startRecipientServer } from "./support/recipient-server.ts";
import { pushFixture } from "./support/push-fixture.ts";
import { CVR, OPERATOR, seedAuthority, type TestApp } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };
let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
let r: Awaited<ReturnType<typeof startRecipientServer>>;

beforeEach(async () => void ({ r, t, s } = await pushFixture()));
afterEach(() => r.close());

async function send(): Promise<string> {
  const m = memoFor(CVR, { contactPointId: s.cpPrimary.id });
  const res = await t.call("POST", "/v1/messages", s.sender, m.xml, XML);
  if (res.status !== 202) throw new Error(res.text);
  return m.uuid;
}

describe("the simulated clock is domain time only", () => {
  it("a push made after the clock jumped three days is signed at the real time and verifies with standardwebhooks", async () => {
    const advanced = await t.call("POST", "/v1/dev/clock", OPERATOR, { advance: "P3D" });
    expect(advanced.status).toBe(200);
    const uuid = await send();
    await t.call("POST", "/v1/dev/clock", OPERATOR, { advance: "PT1M" });
    // The receiver checks the 5-minute window against this machine's clock (recipient-server.ts).
    expect(r.badSignatures).toEqual([]);
    expect(r.delivered("/primary")).toEqual(new Set([uuid]));
  });

  it("an advance in the middle of a run does not break its claims: nothing is pushed twice", async () => {
    const uuids = [await send(), await send(), await send()];
    // Each push takes a while, so the advance (and its own delivery run) lands while they are in flight.
    let firstArrived!: () => void;
    const inFlight = new Promise<void>((ok) => (firstArrived = ok));
    r.set("/primary", (_q, res) => {
      firstArrived();
      setTimeout(() => res.writeHead(204).end(), 150);
      return "handled";
    });
    const run = deliverDue(t.deps, { batch: 50, perSystem: 50, perSystemConcurrency: 1 });
    await inFlight;
    const jumped = await t.call("POST", "/v1/dev/clock", OPERATOR, { advance: "PT2H" });
    expect(jumped.status).toBe(200);
    await run;
    expect(
      r.hits
        .filter((h) => h.path === "/primary")
        .map((h) => h.uuid)
        .sort(),
    ).toEqual([...uuids].sort());
  });

  it("two instances advancing at once lose no step (one atomic add in the database)", async () => {
    const file = `file:${join(t.dir, "api.db")}`;
    const [a, b] = await Promise.all([openNodeDatabase(file), openNodeDatabase(file)]);
    const clocks = [simulatedClock(a), simulatedClock(b)];
    const before = (await clocks[0]!.now()).getTime();
    await Promise.all(Array.from({ length: 32 }, (_, i) => clocks[i % 2]!.advance!(60_000)));
    const after = (await clocks[1]!.now()).getTime();
    // 32 minutes, give or take the real milliseconds the test took.
    expect(after - before).toBeGreaterThanOrEqual(32 * 60_000);
    expect(after - before).toBeLessThan(33 * 60_000);
    await Promise.all([a.destroy(), b.destroy()]);
  });
});

describe("portal tokens expire on the wall clock", () => {
  it("a token minted before the demo clock jumps two days still works; its expiry and the session's now are real time", async () => {
    const minted = await t.call("POST", `/v1/authorities/${CVR}/portal-sessions`, s.admin, {
      capabilities: ["view"],
      user: { name: "Sagsbehandler" },
      ttlSeconds: 900,
    });
    expect(minted.status).toBe(201);
    expect(Math.abs(Date.parse(minted.json.expiresAt) - (Date.now() + 900_000))).toBeLessThan(60_000);
    expect((await t.call("POST", "/v1/dev/clock", OPERATOR, { advance: "P2D" })).status).toBe(200);
    const session = await t.call("GET", "/v1/session", minted.json.token);
    expect(session.status).toBe(200);
    expect(Math.abs(Date.parse(session.json.now) - Date.now())).toBeLessThan(60_000);
    expect((await t.call("GET", `/v1/authorities/${CVR}/status`, minted.json.token)).status).toBe(200);
  });
});
