import type { ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import type { startRecipientServer } from "./support/recipient-server.ts";
import { must } from "./support/reply.ts";
import { CVR, type seedAuthority, type TestApp } from "./support/test-app.ts";

// A system deactivated while a push to it is in flight: the message waits for that push's answer
// instead of moving on at once, so it never reaches two systems.
const XML = { "content-type": "application/xml" };
let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
let r: Awaited<ReturnType<typeof startRecipientServer>>;
let runs: Promise<unknown>[];

beforeEach(async () => {
  ({ r, t, s } = await pushFixture({ pushTimeoutMs: 10_000 }));
  runs = [];
  t.deps.kickDeliveries = () => void runs.push(deliverDue(t.deps));
});
afterEach(() => r.close());

/** Holds the next push to `other` unanswered; resolves with its response once it has arrived. */
function holdNextPush(): Promise<ServerResponse> {
  return new Promise((arrived) => r.set("/other", (_req, res) => (arrived(res), "handled")));
}

/** Sends one message to the other system's contact point and waits until its push is held there. */
async function sendAndHold(): Promise<{ uuid: string; res: ServerResponse }> {
  const held = holdNextPush();
  const m = memoFor(CVR, { contactPointId: s.cpOther.id });
  must(await t.call("POST", "/v1/messages", s.sender, m.xml, XML), 202);
  return { uuid: m.uuid, res: await held };
}
const deactivateOther = async () =>
  must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/deactivate`, s.admin), 200);
const message = async (uuid: string) => must(await t.call("GET", `/v1/messages/${uuid}`, s.admin), 200);
const pushesTo = (path: string, uuid: string) => r.hits.filter((h) => h.path === path && h.uuid === uuid).length;

describe("deactivating a system while a push to it is in flight", () => {
  it("leaves the message for that push: answered 2xx, it is delivered there and nowhere else", async () => {
    const { uuid, res } = await sendAndHold();
    expect(await deactivateOther()).toMatchObject({ state: "deactivated", moved: 0 });
    res.writeHead(200).end();
    await Promise.all(runs);
    const m = await message(uuid);
    expect(m).toMatchObject({ state: "delivered", custodian: { recipientSystemId: s.other.id } });
    expect(m.events.map((e: { type: string }) => e.type)).not.toContain("rerouted");
    await t.deps.runJobs(await t.clock.now());
    expect((await message(uuid)).state).toBe("delivered");
    expect(pushesTo("/other", uuid)).toBe(1);
    expect(pushesTo("/primary", uuid)).toBe(0);
  });

  it("moves it on once that push has failed, with the next run, and it is delivered once to the primary", async () => {
    const { uuid, res } = await sendAndHold();
    expect(await deactivateOther()).toMatchObject({ moved: 0 });
    res.writeHead(503).end();
    await Promise.all(runs);
    expect(await message(uuid)).toMatchObject({ state: "queued", custodian: { recipientSystemId: s.other.id } });
    r.set("/other", 204);
    await t.deps.runJobs(await t.clock.now()); // the rescue of orphans moves it on
    expect(await message(uuid)).toMatchObject({ state: "queued", custodian: { recipientSystemId: s.primary.id } });
    await t.deps.runJobs(await t.clock.now()); // and the next run delivers it
    await Promise.all(runs);
    const m = await message(uuid);
    expect(m).toMatchObject({ state: "delivered", custodian: { recipientSystemId: s.primary.id } });
    expect(m.events.filter((e: { type: string }) => e.type === "rerouted")).toHaveLength(1);
    expect(pushesTo("/other", uuid)).toBe(1);
    expect(pushesTo("/primary", uuid)).toBe(1);
  });
});
