import { pingDatabase } from "@postvej/db";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { healthSchema } from "../response-schemas.ts";
import { doc } from "../validate.ts";

/** Health check (no auth). */
export const metaRoutes = new Hono<AppEnv>().get("/healthz", doc({ summary: "Health: the database answers (no token needed)", tags: ["meta"], responses: { 200: { description: "{ ok, now }", schema: healthSchema } } }), async (c) => {
  const { db, clock } = c.get("deps");
  await pingDatabase(db);
  return c.json({ ok: true, now: (await clock.now()).toISOString() });
});
