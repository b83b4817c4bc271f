import { episodeTimeline, evaluateFlow } from "@postvej/core/delivery";
import {
  countVirkMessages,
  findAuthority,
  lastFailureOn,
  listAuthorityEvents,
  listNotifications,
  listRecipientSystems,
  undeliveredCount,
} from "@postvej/db";
import { AuthorityStatus, CvrParam, Event, EventQuery, Notification, PageQuery, pageOf } from "@postvej/contract";
import { Hono } from "hono";
import { requireAuthority } from "../auth.ts";
import type { AppEnv } from "../app-env.ts";
import { systemClocks } from "../delivery/system-clocks.ts";
import { cursorScope, decodeCursorParam, keysetPage } from "../cursor.ts";
import { notFound } from "../errors.ts";
import { doc, noQuery, valid } from "../validate.ts";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The authority's delivery status, event log and e-mail log. */
export const statusRoutes = new Hono<AppEnv>()
  .get(
    "/v1/authorities/:cvr/status",
    doc({
      operationId: "getAuthorityStatus",
      summary:
        "Per recipient system: state, clocks, undelivered count, the current episode, the next step and the last failed attempt; and the Virk count",
      tags: ["status"],
      responses: { 200: { description: "the status", schema: AuthorityStatus } },
      problems: { 404: "no such authority, or not this token's" },
    }),
    valid("param", CvrParam),
    noQuery(),
    async (c) => {
      const { cvr } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const { db, clock } = c.get("deps");
      const authority = await findAuthority(db, cvr);
      if (!authority) throw notFound(`authority ${cvr}`);
      const now = await clock.now();
      const systems = await listRecipientSystems(db, cvr);
      const virkCount = await countVirkMessages(db, cvr, {});
      const items = await Promise.all(
        systems.map(async (s) => {
          const [clocks, undelivered, failure] = await Promise.all([
            systemClocks(db, s),
            undeliveredCount(db, s.id),
            lastFailureOn(db, s.id),
          ]);
          const flow = evaluateFlow(clocks, now);
          const timeline = s.state === "active" ? episodeTimeline(clocks) : null;
          return {
            id: s.id,
            name: s.name,
            protocol: s.protocol,
            endpointHost: s.endpoint ? new URL(s.endpoint).host : null,
            state: s.state,
            primary: s.is_primary === 1,
            deactivatedAt: s.deactivated_at,
            deactivationReason: s.deactivation_reason,
            lastDeliveredAt: s.last_delivered_at,
            failingSince: s.failing_since,
            oldestUndeliveredAt: iso(clocks.oldestUndeliveredAt),
            undelivered,
            episode: timeline
              ? {
                  startedAt: iso(timeline.startedAt),
                  day2At: iso(timeline.day2At),
                  day5At: iso(timeline.day5At),
                  day7At: iso(timeline.day7At),
                  warnedDay2At: s.warned_day2_at,
                  warnedDay5At: s.warned_day5_at,
                }
              : null,
            nextStep: flow.nextStep ? { kind: flow.nextStep.kind, at: iso(flow.nextStep.at) } : null,
            lastFailure: failure
              ? {
                  at: failure.at,
                  statusCode: failure.status_code,
                  error: failure.error,
                  durationMs: failure.duration_ms,
                  messageUUID: failure.message_uuid,
                }
              : null,
          };
        }),
      );
      return c.json({ authority: { cvr, name: authority.name }, now: now.toISOString(), virkCount, systems: items });
    },
  )
  .get(
    "/v1/authorities/:cvr/events",
    doc({
      operationId: "listEvents",
      summary:
        "The authority's event log, newest first; narrowed by type(s), recipient system, message and time window (`from` inclusive, `to` exclusive)",
      tags: ["status"],
      responses: { 200: { description: "events", schema: pageOf(Event) } },
      problems: { 404: "no such authority, or not this token's" },
    }),
    valid("param", CvrParam),
    valid("query", EventQuery),
    async (c) => {
      const { cvr } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const q = c.req.valid("query");
      const scope = cursorScope(c.req.path);
      const before = decodeCursorParam(q.cursor, ["number"], scope);
      const rows = await listAuthorityEvents(c.get("deps").db, cvr, {
        limit: q.limit + 1,
        ...(before ? { beforeId: before[0] } : {}),
        ...(q.type ? { types: q.type } : {}),
        ...(q.recipientSystemId ? { recipientSystemId: q.recipientSystemId } : {}),
        ...(q.messageUUID ? { messageUuid: q.messageUUID } : {}),
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
      });
      const { page, nextCursor } = keysetPage(rows, q.limit, (last) => [last.id], scope);
      return c.json({
        items: page.map((e) => ({
          id: e.id,
          at: e.at,
          type: e.type,
          messageUUID: e.message_uuid,
          recipientSystemId: e.recipient_system_id,
          data: JSON.parse(e.data) as unknown,
        })),
        nextCursor,
      });
    },
  )
  .get(
    "/v1/authorities/:cvr/notifications",
    doc({
      operationId: "listNotifications",
      summary: "The e-mail outbox log, newest first",
      tags: ["status"],
      responses: { 200: { description: "notifications", schema: pageOf(Notification) } },
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
      const rows = await listNotifications(c.get("deps").db, cvr, {
        limit: q.limit + 1,
        ...(before ? { before: { queuedAt: before[0], id: before[1] } } : {}),
      });
      const { page, nextCursor } = keysetPage(rows, q.limit, (last) => [last.queuedAt, last.id], scope);
      return c.json({ items: page, nextCursor });
    },
  );
