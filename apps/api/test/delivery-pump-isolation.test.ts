// The Node server's delivery pump, wired as node/main.ts wires it: a system whose push hangs until
// the timeout must not hold up fresh post to another system (README: "a slow or dead one holds up
// no other"). Before each system had its own pump, a kick during a run waited for that run, hung
// push and all, so the other system's letter went out only when the hung push timed out.
import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { deliveryPump } from "../src/jobs/delivery-pump.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { pushFixture } from "./support/push-fixture.ts";
import { must } from "./support/reply.ts";
import { CVR } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe("the Node delivery pump", () => {
  it("pushes fresh post to a healthy system while another system's push hangs", async () => {
    // The hung push would last a minute: long past every wait below.
    const { r, t, s } = await pushFixture({ pushTimeoutMs: 60_000 });
    const pump = deliveryPump(t.deps);
    t.deps.kickDeliveries = (systemId) => void pump(systemId);
    const held: ServerResponse[] = [];
    r.set("/primary", (_req, res) => {
      held.push(res);
      return "handled";
    });
    try {
      const stuck = memoFor(CVR, { contactPointId: s.cpPrimary.id });
      must(await t.call("POST", "/v1/messages", s.sender, stuck.xml, XML), 202);
      await until("the push to the hanging system to start", () => held.length === 1, 10_000);

      const fresh = memoFor(CVR, { contactPointId: s.cpOther.id });
      must(await t.call("POST", "/v1/messages", s.sender, fresh.xml, XML), 202);
      await until("the healthy system's letter", () => r.delivered("/other").has(fresh.uuid), 10_000);
      // Still hanging: the healthy system did not wait for it.
      expect(held[0]!.writableEnded).toBe(false);

      held[0]!.writeHead(204).end();
      await pump(s.primary.id);
      const trace = must(await t.call("GET", `/v1/messages/${stuck.uuid}`, s.sender), 200);
      expect(trace).toMatchObject({ state: "delivered", attempts: [{ attempt: 1, outcome: "delivered", statusCode: 204 }] });
      expect(must(await t.call("GET", `/v1/messages/${fresh.uuid}`, s.sender), 200)).toMatchObject({ state: "delivered" });
    } finally {
      for (const res of held) if (!res.writableEnded) res.destroy();
      await r.close();
    }
  });

  it("a kick without a system still runs over every system", async () => {
    const { r, t, s } = await pushFixture();
    const pump = deliveryPump(t.deps);
    t.deps.kickDeliveries = () => undefined; // intake starts nothing: the run below is the only one
    try {
      const a = memoFor(CVR, { contactPointId: s.cpPrimary.id });
      const b = memoFor(CVR, { contactPointId: s.cpOther.id });
      must(await t.call("POST", "/v1/messages", s.sender, a.xml, XML), 202);
      must(await t.call("POST", "/v1/messages", s.sender, b.xml, XML), 202);
      await pump();
      expect([...r.delivered("/primary")]).toEqual([a.uuid]);
      expect([...r.delivered("/other")]).toEqual([b.uuid]);
    } finally {
      await r.close();
    }
  });
});
