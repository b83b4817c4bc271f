import { describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { startDemoReceiver } from "../src/node/demo-receiver.ts";
import { seedDemo } from "../src/node/seed-demo.ts";
import { createTestApp } from "./support/test-app.ts";

describe("the demo portal's host endpoints (npm start)", () => {
  it("sends demo post that reaches the demo receiver, and a system taken down fails until brought up", async () => {
    const t = await createTestApp();
    const receiver = await startDemoReceiver();
    try {
      const seeded = await seedDemo(t.db, receiver, await t.clock.now());
      t.deps.demo = {
        authority: seeded.authority,
        adminKeyId: seeded.adminKeyId,
        senderKeyId: seeded.senderKeyId,
        systems: seeded.systems.map(({ id, name }) => ({ id, name })),
        setUp: (id, up) => {
          const s = seeded.systems.find((x) => x.id === id);
          if (s) receiver.setUp(s.key, up);
          return !!s;
        },
      };
      const app = buildApp(t.deps, {
        readAsset: async (path) => (path === "demo/index.html" ? new TextEncoder().encode("<!doctype html>") : null),
      });
      const json = async (method: string, path: string, body?: unknown) => {
        const r = await app.request(path, {
          method,
          headers: { "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: r.status, json: (await r.json()) as any };
      };
      expect((await app.request("/demo")).status).toBe(200);
      const config = await json("GET", "/demo/config");
      expect(config.json.contactPoints).toHaveLength(3);
      const school = config.json.contactPoints.find((cp: { name: string }) => cp.name === "Skole og dagtilbud");

      expect((await json("POST", "/demo/systems/rs_demo_dokumentboks/down")).json).toEqual({ id: "rs_demo_dokumentboks", up: false });
      const sent = await json("POST", "/demo/messages", { count: 3, contactPointId: school.id });
      expect(sent.status).toBe(202);
      expect(sent.json.sent.map((m: { state: string }) => m.state)).toEqual(["queued", "queued", "queued"]);
      await json("POST", "/demo/clock", { advance: "PT1H" });
      expect(receiver.received("dokumentboks")).toBe(0);
      await json("POST", "/demo/systems/rs_demo_dokumentboks/up");
      await json("POST", "/demo/clock", { advance: "PT1H" });
      expect(receiver.received("dokumentboks")).toBe(3);
      const token = await json("POST", "/demo/token");
      expect(token.json.token).toMatch(/^pvp_/);
      expect((await json("POST", "/demo/messages", { count: 0 })).status).toBe(422);
    } finally {
      await receiver.close();
    }
  });

  it("does not exist outside the demo", async () => {
    const t = await createTestApp();
    const app = buildApp(t.deps, { readAsset: async () => null });
    expect((await app.request("/demo/config")).status).toBe(404);
    expect((await app.request("/demo/messages", { method: "POST" })).status).toBe(404);
  });
});
