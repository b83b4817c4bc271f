import { pingDatabase } from "@postvej/db";
import { Health, problemWith } from "@postvej/contract";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { doc, noQuery } from "../validate.ts";

/** Health check (no auth). */
export const metaRoutes = new Hono<AppEnv>().get(
  "/healthz",
  doc({
    operationId: "getHealth",
    summary: "Health: the database answers (no token needed)",
    tags: ["meta"],
    public: true,
    responses: {
      200: { description: "{ ok, now }", schema: Health },
      503: {
        description:
          "`database_unavailable`: the database cannot be reached or did not answer within POSTVEJ_DB_TIMEOUT_MS (Retry-After says when to ask again)",
        contentType: "application/problem+json",
        schema: problemWith("database_unavailable"),
      },
    },
  }),
  noQuery(),
  async (c) => {
    const { db, clock } = c.get("deps");
    await pingDatabase(db);
    return c.json({ ok: true, now: (await clock.now()).toISOString() });
  },
);
