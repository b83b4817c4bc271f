import { ClockAdvanceRequest } from "@postvej/contract";
import { listContactPoints, listNotifications } from "@postvej/db";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app-env.ts";
import type { DemoHost } from "../runtime.ts";
import { ApiError } from "../errors.ts";
import { testMemo } from "../delivery/test-delivery.ts";
import { acceptMessage } from "../services/intake.ts";
import { mintPortalSession } from "../services/portal-sessions.ts";
import { valid } from "../validate.ts";
import { advanceClock, advanceMs } from "./dev.ts";
import { kickDeliveries } from "../delivery/kick.ts";

/**
 * The demo portal: a stand-in for an authority portal's own backend (it mints portal tokens
 * server-side, as a real portal does with its admin key) plus the demo's controls. Exists only
 * in the local demo (`npm start`), which runs on the simulated clock. The page loads the widget
 * bundle from `/widgets/postvej-widgets.js`, served by routes/widget-assets.ts as in production.
 */
export function demoRoutes(readAsset: (path: string) => Promise<Uint8Array | null>) {
  const demo = (c: { get(k: "deps"): AppEnv["Variables"]["deps"] }): DemoHost => {
    const d = c.get("deps").demo;
    if (!d || !c.get("deps").config.simulatedClock) throw new ApiError(404, "not_found", "the demo runs only under npm start");
    return d;
  };
  const guard = async (c: Parameters<typeof demo>[0], next: () => Promise<void>) => {
    demo(c);
    await next();
  };
  return new Hono<AppEnv>()
    .use("/demo", guard)
    .use("/demo/*", guard)
    .get("/demo", async (c) => {
      const page = await readAsset("demo/index.html");
      if (!page) throw new ApiError(404, "not_found", "the demo page is missing");
      return c.body(page as Uint8Array<ArrayBuffer>, 200, { "content-type": "text/html; charset=utf-8" });
    })
    .get("/demo/config", async (c) => {
      const d = demo(c);
      const contactPoints = (await listContactPoints(c.get("deps").db, d.authority.cvr)).map((cp) => ({
        id: cp.id,
        name: cp.name,
        systemId: cp.recipient_system_id,
      }));
      // Each system with whether the demo receiver answers for it now, so a reloaded page shows the real state.
      const systems = d.systems.map((s) => ({ ...s, up: d.isUp(s.id) !== false }));
      return c.json({ apiBase: new URL(c.req.url).origin, authority: d.authority, systems, contactPoints });
    })
    .get("/demo/outbox", async (c) => {
      // The e-mails the demo authority's episodes and moves queued, newest first (the page's outbox log).
      const d = demo(c);
      const rows = await listNotifications(c.get("deps").db, d.authority.cvr, { limit: 10 });
      return c.json({
        items: rows.map((r) => ({ id: r.id, subject: r.subject, to: r.to, status: r.status, queuedAt: r.queuedAt, sentAt: r.sentAt })),
      });
    })
    .post(
      "/demo/messages",
      valid("json", z.object({ count: z.number().int().min(1).max(50), contactPointId: z.string().optional() }).strict()),
      async (c) => {
        const d = demo(c);
        const { db, clock, hashBytes, routing } = c.get("deps");
        const { count, contactPointId } = c.req.valid("json");
        const sent: { messageUUID: string; state: string }[] = [];
        for (let i = 1; i <= count; i++) {
          // Each letter is received when it is handed in, so the Virk mailbox (newest first) lists them in order.
          const now = await clock.now();
          const uuid = crypto.randomUUID();
          const xml = testMemo(uuid, d.authority.cvr, now, {
            label: `Demobrev ${i} af ${count}`,
            senderCvr: "12345674",
            ...(contactPointId ? { contactPointId } : {}),
          });
          const r = await acceptMessage(
            db,
            {
              bytes: new TextEncoder().encode(xml),
              senderKeyId: d.senderKeyId,
              senderAuthorityCvr: d.authority.cvr,
              queryUuid: undefined,
              routing,
              ...(hashBytes ? { hashBytes } : {}),
            },
            now,
          );
          sent.push({ messageUUID: r.body.messageUUID, state: r.body.state });
        }
        kickDeliveries(c);
        return c.json({ sent }, 202);
      },
    )
    .post("/demo/token", async (c) => {
      const d = demo(c);
      const { db } = c.get("deps");
      const { token, expiresAt } = await mintPortalSession(db, {
        cvr: d.authority.cvr,
        capabilities: ["view", "relocate", "reactivate"],
        userName: "Demo Administrator",
        createdByKeyId: d.adminKeyId,
        now: new Date(),
        ttlSeconds: 15 * 60,
      });
      return c.json({ token, expiresAt });
    })
    .get("/demo/clock", async (c) => {
      return c.json({ now: (await c.get("deps").clock.now()).toISOString() });
    })
    .post("/demo/clock", valid("json", ClockAdvanceRequest), async (c) => {
      const r = await advanceClock(c.get("deps"), advanceMs(c.req.valid("json").advance, 30));
      kickDeliveries(c);
      return c.json({ now: r.now.toISOString() });
    })
    .post("/demo/systems/:id/:direction{up|down}", async (c) => {
      const d = demo(c);
      const id = c.req.param("id");
      const up = c.req.param("direction") === "up";
      if (!d.setUp(id, up)) throw new ApiError(404, "not_found", `no demo system ${id}`);
      if (up) kickDeliveries(c);
      return c.json({ id, up });
    });
}
