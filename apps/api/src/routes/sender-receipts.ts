import { ReceiptEndpoint, ReceiptEndpointRequest, PageQuery, pageOf, SenderReceiptInFeed } from "@postvej/contract";
import { checkEndpoint } from "@postvej/core/delivery";
import {
  deleteReceiptEndpoint,
  findReceiptEndpoint,
  inTransaction,
  insertReceiptEndpoint,
  listSenderReceipts,
  setReceiptEndpointUrl,
} from "@postvej/db";
import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { cursorScope, decodeCursorParam, encodeCursor } from "../cursor.ts";
import { ApiError, notFound } from "../errors.ts";
import { freshSigningSecret } from "../services/signing-secrets.ts";
import { doc, noBody, noQuery, valid } from "../validate.ts";
import { senderReceiptJson } from "../views/sender-receipt-json.ts";

/** Receipts back to the sender: a sender key's receipt endpoint, and its pull feed of receipts. */
export const senderReceiptRoutes = new Hono<AppEnv>()
  .put(
    "/v1/receipt-endpoint",
    doc({
      operationId: "putReceiptEndpoint",
      summary:
        "Set this sender key's receipt endpoint: the first PUT creates it and shows its whsec_ secret once; later PUTs change the url only",
      tags: ["receipts"],
      responses: {
        201: { description: "created, with its signing secret (shown once)", schema: ReceiptEndpoint },
        200: { description: "the url changed; the signing secret stays (not shown)", schema: ReceiptEndpoint },
      },
      problems: {
        404: "not a sender key",
        422: "`invalid_endpoint`: not https on a public address (plain http to loopback outside production)",
      },
    }),
    valid("json", ReceiptEndpointRequest),
    async (c) => {
      const p = senderKey(c);
      const { db, config } = c.get("deps");
      const { url } = c.req.valid("json");
      const check = checkEndpoint(url, { production: config.production });
      if (!check.ok)
        throw new ApiError(422, "invalid_endpoint", check.message, [{ path: "url", code: check.code, message: check.message }]);
      // Security time: when a credential was made is the wall clock's.
      const at = new Date((c.get("deps").wallClock ?? Date.now)()).toISOString();
      const { secret, stored } = await freshSigningSecret(config.secretKey, p.keyId);
      const created = await insertReceiptEndpoint(db, {
        senderKeyId: p.keyId,
        authorityCvr: p.authorityCvr,
        url,
        signingSecret: stored,
        at,
      });
      if (!created) await setReceiptEndpointUrl(db, p.keyId, url, at);
      const row = await findReceiptEndpoint(db, p.keyId);
      if (!row) throw notFound("the receipt endpoint");
      const answer = { url: row.url, createdAt: row.created_at, updatedAt: row.updated_at };
      return created ? c.json({ ...answer, signingSecret: secret }, 201) : c.json(answer, 200);
    },
  )
  .get(
    "/v1/receipt-endpoint",
    doc({
      operationId: "getReceiptEndpoint",
      summary: "This sender key's receipt endpoint (never its secret)",
      tags: ["receipts"],
      responses: { 200: { description: "the endpoint", schema: ReceiptEndpoint } },
      problems: { 404: "no receipt endpoint, or not a sender key" },
    }),
    noQuery(),
    async (c) => {
      const row = await findReceiptEndpoint(c.get("deps").db, senderKey(c).keyId);
      if (!row) throw notFound("the receipt endpoint");
      return c.json({ url: row.url, createdAt: row.created_at, updatedAt: row.updated_at });
    },
  )
  .delete(
    "/v1/receipt-endpoint",
    doc({
      operationId: "deleteReceiptEndpoint",
      summary:
        "Remove this sender key's receipt endpoint and its secret: receipts are no longer pushed (the feed keeps them); a new PUT makes a new secret",
      tags: ["receipts"],
      responses: { 204: { description: "removed" } },
      problems: { 404: "no receipt endpoint, or not a sender key" },
    }),
    noBody(),
    async (c) => {
      const keyId = senderKey(c).keyId;
      if (!(await inTransaction(c.get("deps").db, (tx) => deleteReceiptEndpoint(tx, keyId)))) throw notFound("the receipt endpoint");
      return c.body(null, 204);
    },
  )
  .get(
    "/v1/receipts",
    doc({
      operationId: "listReceipts",
      summary: "This sender key's receipts, oldest first: keep the nextCursor of the last page and ask with it for what came since",
      tags: ["receipts"],
      responses: {
        200: {
          description: "a page of receipts; nextCursor is null only when no receipt was made yet (else it points after this page's last)",
          schema: pageOf(SenderReceiptInFeed),
        },
      },
      problems: { 404: "not a sender key" },
    }),
    valid("query", PageQuery),
    async (c) => {
      const p = senderKey(c);
      const { limit, cursor } = c.req.valid("query");
      const scope = cursorScope(c.req.path, p.keyId);
      const after = decodeCursorParam(cursor, ["number"], scope, { untagged: true });
      const rows = await listSenderReceipts(c.get("deps").db, p.keyId, { limit, ...(after ? { afterSeq: after[0] } : {}) });
      const last = rows[rows.length - 1];
      // The cursor a sender keeps: after this page's last receipt, or where it asked from when nothing came since.
      const nextCursor = last ? encodeCursor([last.seq], scope) : after ? encodeCursor(after, scope) : null;
      return c.json({ items: rows.map(senderReceiptJson), nextCursor });
    },
  );

function senderKey(c: Context<AppEnv>) {
  const p = c.get("principal");
  if (p.kind !== "api_key" || p.role !== "sender") throw notFound("the resource");
  return p;
}
