import {
  CvrIdParam,
  CvrParam,
  DryRunPlan,
  PageQuery,
  pageOf,
  Relocation,
  RelocationItem,
  RelocationItemQuery,
  RelocationRequest,
} from "@postvej/contract";
import { findRelocation, getRelocation, inTransaction, listRelocationItems, listRelocations } from "@postvej/db";
import { Hono } from "hono";
import { actorOf, allow, requireAuthority } from "../auth.ts";
import type { AppEnv } from "../app-env.ts";
import { cursorScope, decodeCursorParam, keysetPage } from "../cursor.ts";
import { ApiError, notFound } from "../errors.ts";
import { relocationItemJson, relocationJson } from "../relocation/relocation-json.ts";
import { startRelocation } from "../relocation/inline-run.ts";
import { finishRelocation } from "../relocation/run-batch.ts";
import { dryRun } from "../relocation/start-relocation.ts";
import { doc, noBody, noQuery, valid } from "../validate.ts";
import { kickDeliveries } from "../delivery/kick.ts";

/** Moving post out of the Virk mailbox (flyt post) and its history. */
export const relocationRoutes = new Hono<AppEnv>()
  .post(
    "/v1/authorities/:cvr/relocations",
    doc({
      operationId: "createRelocation",
      summary:
        "Move post out of Virk: a dry run returns the plan (200); otherwise 202 with the relocation, finished inline when small, else running as a job",
      tags: ["relocation"],
      responses: {
        200: { description: "the dry-run plan", schema: DryRunPlan },
        202: {
          description:
            "{ id, state, total, moved, skipped } (the whole relocation); an identical request while it runs or within a minute of it answers it again, starting nothing",
          schema: Relocation,
        },
      },
      problems: { 404: "no such authority, or not this token's", 422: "`empty_selection`, `target_required` or `target_not_eligible`" },
    }),
    valid("param", CvrParam),
    allow("relocate"),
    valid("json", RelocationRequest),
    async (c) => {
      const { cvr } = c.req.valid("param");
      const principal = requireAuthority(c, cvr, "relocate");
      const b = c.req.valid("json");
      const request = { selection: b.selection, targetContactPointId: b.targetContactPointId ?? null, preferOriginal: b.preferOriginal };
      const deps = c.get("deps");
      if (b.dryRun) return c.json(await dryRun(deps.db, cvr, request), 200);
      const at = (await deps.clock.now()).toISOString();
      const actor = actorOf(principal);
      const kind = actor.kind === "portal_user" ? "portal_user" : "api_key";
      // Small selections finish here, one batch; larger ones are left to the scheduler's bounded batches.
      const { id, moved } = await startRelocation(deps, cvr, request, { ...actor, kind }, at);
      if (moved) kickDeliveries(c);
      const rel = await findRelocation(deps.db, cvr, id);
      if (!rel) throw new Error(`relocation ${id} vanished`);
      return c.json(relocationJson(rel), 202);
    },
  )
  .get(
    "/v1/authorities/:cvr/relocations",
    doc({
      operationId: "listRelocations",
      summary: "The relocation history, newest first",
      tags: ["relocation"],
      responses: { 200: { description: "{ items, nextCursor }", schema: pageOf(Relocation) } },
      problems: { 404: "no such authority, or not this token's" },
    }),
    valid("param", CvrParam),
    valid("query", PageQuery),
    async (c) => {
      const { cvr } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const q = c.req.valid("query");
      const scope = cursorScope(c.req.path);
      const before = decodeCursorParam(q.cursor, ["string", "string"], scope);
      const rows = await listRelocations(c.get("deps").db, cvr, {
        limit: q.limit + 1,
        ...(before ? { before: { createdAt: before[0], id: before[1] } } : {}),
      });
      const { page, nextCursor } = keysetPage(rows, q.limit, (last) => [last.created_at, last.id], scope);
      return c.json({
        items: page.map(relocationJson),
        nextCursor,
      });
    },
  )
  .get(
    "/v1/authorities/:cvr/relocations/:id",
    doc({
      operationId: "getRelocation",
      summary: "One relocation: who, when, selection, target, state and counters",
      tags: ["relocation"],
      responses: { 200: { description: "the relocation", schema: Relocation } },
      problems: { 404: "no such relocation, or not this token's" },
    }),
    valid("param", CvrIdParam),
    noQuery(),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const rel = await findRelocation(c.get("deps").db, cvr, id);
      if (!rel) throw notFound(`relocation ${id}`);
      return c.json(relocationJson(rel));
    },
  )
  .get(
    "/v1/authorities/:cvr/relocations/:id/items",
    doc({
      operationId: "listRelocationItems",
      summary: "Per message: where it went (moved), why not (skipped), or pending",
      tags: ["relocation"],
      responses: { 200: { description: "{ items, nextCursor }", schema: pageOf(RelocationItem) } },
      problems: { 404: "no such relocation, or not this token's" },
    }),
    valid("param", CvrIdParam),
    valid("query", RelocationItemQuery),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const q = c.req.valid("query");
      const scope = cursorScope(c.req.path);
      const after = decodeCursorParam(q.cursor, ["number"], scope);
      const { db } = c.get("deps");
      if (!(await findRelocation(db, cvr, id))) throw notFound(`relocation ${id}`);
      const rows = await listRelocationItems(db, id, {
        limit: q.limit + 1,
        ...(after ? { afterId: after[0] } : {}),
        ...(q.outcome ? { outcome: q.outcome } : {}),
      });
      const { page, nextCursor } = keysetPage(rows, q.limit, (last) => [last.id], scope);
      return c.json({ items: page.map(relocationItemJson), nextCursor });
    },
  )
  .post(
    "/v1/authorities/:cvr/relocations/:id/stop",
    doc({
      operationId: "stopRelocation",
      summary: "Stop a running relocation: what has not moved stays in Virk (items skipped `stopped`)",
      tags: ["relocation"],
      responses: { 200: { description: "the stopped relocation", schema: Relocation } },
      problems: { 404: "no such relocation, or not this token's", 409: "`relocation_not_running`" },
    }),
    valid("param", CvrIdParam),
    allow("relocate"),
    noBody(),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      requireAuthority(c, cvr, "relocate");
      const { db, clock, config } = c.get("deps");
      const at = (await clock.now()).toISOString();
      await inTransaction(db, async (tx) => {
        const rel = await getRelocation(tx, id, cvr);
        if (!rel) throw notFound(`relocation ${id}`);
        if (!(await finishRelocation(tx, rel, "stopped", at, config.portalUrl))) {
          throw new ApiError(409, "relocation_not_running", `relocation ${id} is ${rel.state} already`);
        }
      });
      const rel = await findRelocation(db, cvr, id);
      if (!rel) throw notFound(`relocation ${id}`);
      return c.json(relocationJson(rel));
    },
  );
