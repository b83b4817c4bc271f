import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";

/** Health check (no auth). */
export const metaRoutes = new Hono<AppEnv>().get("/healthz", async (c) => {
  const { db, clock } = c.get("deps");
  await db.selectFrom("settings").select("key").limit(1).execute();
  return c.json({ ok: true, now: (await clock.now()).toISOString() });
});
