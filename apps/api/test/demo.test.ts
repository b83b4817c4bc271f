import { describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { startDemoReceiver } from "../src/node/demo-receiver.ts";
import { seedDemo } from "../src/node/seed-demo.ts";
import { OPERATOR, createTestApp } from "./support/test-app.ts";

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
        isUp: (id) => {
          const s = seeded.systems.find((x) => x.id === id);
          return s ? receiver.isUp(s.key) : undefined;
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
      // A reloaded page reads the receiver's real state from the config.
      const systems = (await json("GET", "/demo/config")).json.systems as { id: string; up: boolean }[];
      expect(systems.map((s) => [s.id, s.up])).toEqual([
        ["rs_demo_sagssystem", true],
        ["rs_demo_dokumentboks", false],
      ]);
      expect((await json("GET", "/demo/outbox")).json.items).toEqual([]);
      await json("POST", "/demo/clock", { advance: "P2DT1H" });
      expect(receiver.received("dokumentboks")).toBe(0);
      // Day 2 of the episode queued the warning; the page's outbox log shows it.
      const outbox = (await json("GET", "/demo/outbox")).json.items as { subject: string; to: string[]; status: string }[];
      expect(outbox).toHaveLength(1);
      // With " hos Demo Kommune" it would be 82 characters: the authority's name is left out.
      expect(outbox[0]!.subject).toBe("Advarsel: 3 meddelelser kan ikke leveres til Dokumentboks (demo)");
      expect(outbox[0]!.to).toEqual(["drift+dokumentboks@demo-kommune.dk", "post+dokumentboks@demo-kommune.dk"]);
      await json("POST", "/demo/systems/rs_demo_dokumentboks/up");
      // Two days in, the retries are hours apart (at most 4 h, +20 %).
      await json("POST", "/demo/clock", { advance: "PT5H" });
      expect(receiver.received("dokumentboks")).toBe(3);
      const token = await json("POST", "/demo/token");
      expect(token.json.token).toMatch(/^pvp_/);
      expect((await json("POST", "/demo/messages", { count: 0 })).status).toBe(422);
    } finally {
      await receiver.close();
    }
  });

  it("a second start on the same data keeps the demo's authority and systems, prints working keys and revokes the first start's", async () => {
    const t = await createTestApp();
    const receiver = await startDemoReceiver();
    try {
      const first = await seedDemo(t.db, receiver, await t.clock.now());
      const second = await seedDemo(t.db, receiver, await t.clock.now());
      const status = `/v1/authorities/${second.authority.cvr}/status`;
      expect((await t.call("GET", status, second.adminKey)).status).toBe(200);
      expect((await t.call("GET", status, first.adminKey)).status).toBe(401);
      const sent = await t.call("GET", "/v1/receipts", second.senderKey);
      expect(sent.status).toBe(200);
      expect((await t.call("GET", "/v1/receipts", first.senderKey)).status).toBe(401);
      const keys = (await t.call("GET", `/v1/authorities/${second.authority.cvr}/api-keys`, OPERATOR)).json.items as {
        id: string;
        revokedAt: string | null;
      }[];
      expect(keys.filter((k) => k.revokedAt === null).map((k) => k.id)).toEqual(
        expect.arrayContaining([second.adminKeyId, second.senderKeyId]),
      );
      expect(keys.filter((k) => k.revokedAt === null)).toHaveLength(2);
      expect(keys).toHaveLength(4);
      expect(second.systems.map((s) => s.id)).toEqual(first.systems.map((s) => s.id));
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
