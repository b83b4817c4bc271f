import { CvrParam, CvrUuidParam, pageOf, RelocationTarget, VirkListQuery, VirkMessageDetail, VirkPage } from "@postvej/contract";
import { readMemo } from "@postvej/core/memo";
import {
  countVirkMessages,
  findMessageBody,
  findMessageMeta,
  findVirkMessage,
  listVirkMessages,
  virkMessageBodies,
  type VirkRow,
} from "@postvej/db";
import { Hono } from "hono";
import { requireAuthority } from "../auth.ts";
import type { AppEnv } from "../app-env.ts";
import { cursorScope, decodeCursorParam, keysetPage } from "../cursor.ts";
import { notFound } from "../errors.ts";
import { loadTargets } from "../relocation/candidates.ts";
import { readStoredBody } from "../services/body-codec.ts";
import { virkMessageJson } from "../relocation/relocation-json.ts";
import { selectionFilter } from "../relocation/selection.ts";
import { doc, noQuery, valid } from "../validate.ts";

/** The MeMo Sender label: kept at intake ("" for none); read from the bytes for post received before that. */
function senderLabel(row: VirkRow, body: Uint8Array | undefined): string | null {
  if (row.sender_label !== null) return row.sender_label === "" ? null : row.sender_label;
  if (!body) return null;
  const r = readMemo(body);
  return r.ok ? r.summary.senderLabel : null;
}

/** The authority's Virk mailbox and the contact points post can be moved to. */
export const virkRoutes = new Hono<AppEnv>()
  .get(
    "/v1/authorities/:cvr/virk/messages",
    doc({
      operationId: "listVirkMessages",
      summary: "The Virk mailbox, newest first, with filters, cursor paging and the total matching",
      tags: ["virk"],
      responses: { 200: { description: "{ items, nextCursor, total }", schema: VirkPage } },
      problems: { 404: "no such authority, or not this token's" },
    }),
    valid("param", CvrParam),
    valid("query", VirkListQuery),
    async (c) => {
      const { cvr } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const { limit, cursor, ...filters } = c.req.valid("query");
      const scope = cursorScope(c.req.path);
      const after = decodeCursorParam(cursor, ["string", "string"], scope);
      const { db, bodyCodec } = c.get("deps");
      const { filter } = selectionFilter({ ...filters, all: true });
      const rows = await listVirkMessages(db, cvr, filter, {
        limit: limit + 1,
        ...(after ? { after: { receivedAt: after[0], uuid: after[1] } } : {}),
      });
      const { page, nextCursor } = keysetPage(rows, limit, (last) => [last.received_at, last.uuid], scope);
      const unlabelled = page.filter((r) => r.sender_label === null).map((r) => r.uuid);
      const bodies = new Map<string, Uint8Array>();
      for (const [uuid, stored] of await virkMessageBodies(db, cvr, unlabelled)) {
        // A body that cannot be read costs its row the sender label, not the whole page its listing.
        const body = await readStoredBody(bodyCodec, uuid, stored).catch((err: unknown) => void console.error("postvej:", err));
        if (body) bodies.set(uuid, body);
      }
      return c.json({
        items: page.map((r) => virkMessageJson(r, senderLabel(r, bodies.get(r.uuid)))),
        nextCursor,
        total: await countVirkMessages(db, cvr, filter),
      });
    },
  )
  .get(
    "/v1/authorities/:cvr/virk/messages/:uuid",
    doc({
      operationId: "getVirkMessage",
      summary: "One message in the Virk mailbox: a JSON summary, or with Accept: application/xml the original MeMo bytes",
      tags: ["virk"],
      responses: { 200: { description: "the summary, or the MeMo", schema: VirkMessageDetail } },
      problems: { 404: "not in the authority's Virk mailbox, or not this token's" },
    }),
    valid("param", CvrUuidParam),
    noQuery(),
    async (c) => {
      const { cvr, uuid: raw } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const uuid = raw.toLowerCase();
      const { db, bodyCodec } = c.get("deps");
      const row = await findVirkMessage(db, cvr, uuid);
      if (!row) throw notFound(`message ${raw} in the Virk mailbox`);
      const stored = await findMessageBody(db, uuid);
      if (!stored) throw notFound(`message ${raw} in the Virk mailbox`);
      const body = await readStoredBody(bodyCodec, uuid, stored);
      const accept = c.req.header("accept") ?? "";
      if (/application\/(memo\+)?xml|text\/xml/i.test(accept) && !/application\/json/i.test(accept.split(",")[0] ?? "")) {
        return c.body(body as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/xml" });
      }
      const meta = await findMessageMeta(db, uuid);
      return c.json({
        ...virkMessageJson(row, senderLabel(row, body)),
        state: "in_virk" as const,
        memoVersion: meta?.memo_version ?? null,
        sizeBytes: meta?.size_bytes ?? body.length,
        attachmentCount: meta?.attachment_count ?? 0,
        routeReason: meta?.route_reason ?? null,
      });
    },
  )
  .get(
    "/v1/authorities/:cvr/relocation-targets",
    doc({
      operationId: "listRelocationTargets",
      summary: "The authority's contact points as relocation targets: eligible or why not (invisible, inactive, system_deactivated)",
      tags: ["virk"],
      responses: { 200: { description: "{ items }", schema: pageOf(RelocationTarget) } },
      problems: { 404: "no such authority, or not this token's" },
    }),
    valid("param", CvrParam),
    noQuery(),
    async (c) => {
      const { cvr } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const targets = await loadTargets(c.get("deps").db, cvr);
      return c.json({
        items: [...targets.values()].map((t) => ({
          contactPointId: t.id,
          name: t.name,
          recipientSystemId: t.recipientSystemId,
          recipientSystemName: t.systemName,
          eligible: t.reason === null,
          reason: t.reason,
        })),
        nextCursor: null,
      });
    },
  );
