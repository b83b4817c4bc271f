import { CvrParam, CvrUuidParam, MessageDetail, MessageLookupQuery, MessageSummary, pageOf } from "@postvej/contract";
import { findMessageMeta, findMessagesByLabel } from "@postvej/db";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { requireAuthority } from "../auth.ts";
import { cursorScope, decodeCursorParam, keysetPage } from "../cursor.ts";
import { notFound } from "../errors.ts";
import { doc, noQuery, valid } from "../validate.ts";
import { messageDetail } from "../views/message-detail-json.ts";

/** What the event log panel reads besides `…/events`: a message found by its label, and one message's trace. */
export const eventLogRoutes = new Hono<AppEnv>()
  .get(
    "/v1/authorities/:cvr/messages",
    doc({
      operationId: "findMessagesByLabel",
      summary: "The authority's messages with exactly this MeMo label, newest first",
      tags: ["status"],
      responses: { 200: { description: "the messages found", schema: pageOf(MessageSummary) } },
      problems: { 404: "no such authority, or not this token's" },
    }),
    valid("param", CvrParam),
    valid("query", MessageLookupQuery),
    async (c) => {
      const { cvr } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const q = c.req.valid("query");
      const scope = cursorScope(c.req.path);
      const before = decodeCursorParam(q.cursor, ["string", "string"], scope);
      const rows = await findMessagesByLabel(c.get("deps").db, cvr, q.label, {
        limit: q.limit + 1,
        ...(before ? { before: { receivedAt: before[0], uuid: before[1] } } : {}),
      });
      const { page, nextCursor } = keysetPage(rows, q.limit, (last) => [last.received_at, last.uuid], scope);
      return c.json({
        items: page.map((m) => ({
          messageUUID: m.uuid,
          label: m.label,
          senderId: m.sender_id,
          state: m.state,
          receivedAt: m.received_at,
          custodianSystemId: m.custodian_system_id,
        })),
        nextCursor,
      });
    },
  )
  .get(
    "/v1/authorities/:cvr/messages/:uuid",
    doc({
      operationId: "getAuthorityMessage",
      summary: "One message addressed to the authority with its attempts and events (its trace), as GET /v1/messages/{uuid} gives it",
      tags: ["status"],
      responses: { 200: { description: "the message", schema: MessageDetail } },
      problems: { 404: "no such authority or message, the message is addressed to another authority, or not this token's" },
    }),
    valid("param", CvrUuidParam),
    noQuery(),
    async (c) => {
      const { cvr, uuid } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const { db } = c.get("deps");
      const m = await findMessageMeta(db, uuid.toLowerCase());
      if (!m || m.authority_cvr !== cvr) throw notFound(`message ${uuid}`);
      return c.json(await messageDetail(db, m));
    },
  );
