import { ApiKey, ApiKeyCreate, ApiKeyInfo, CvrIdParam, CvrParam, PageQuery, pageOf } from "@postvej/contract";
import { EVENT_TYPE } from "@postvej/core/delivery";
import { checkKeyExpiry } from "@postvej/core/lifecycle";
import { newId, randomToken, sha256Hex } from "@postvej/core/ids";
import {
  addToSetting,
  appendEvents,
  findApiKey,
  findAuthority,
  findRecipientSystem,
  inTransaction,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeyRow,
} from "@postvej/db";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { actorOf, allow, REVOCATION_GENERATION_KEY, requireAuthority } from "../auth.ts";
import { cursorScope, decodeCursorParam, keysetPage } from "../cursor.ts";
import { ApiError, notFound } from "../errors.ts";
import { doc, noBody, valid } from "../validate.ts";

/**
 * An authority's API keys: create (shown once), list, revoke. Operator or the authority's admin.
 * A key's times (createdAt, lastUsedAt, expiresAt, revokedAt) are the wall clock: security time,
 * whatever clock the domain runs on. The events about them are in the log on the domain clock.
 */
export const apiKeyRoutes = new Hono<AppEnv>()
  .post(
    "/v1/authorities/:cvr/api-keys",
    doc({
      operationId: "createApiKey",
      summary: "Create an API key; the key is shown once (operator or the authority's admin)",
      tags: ["operator"],
      responses: { 201: { description: "created", schema: ApiKey } },
      problems: {
        404: "no such authority, or not this token's",
        422: "a recipient key needs a REST_PULL system of the authority; `expiresAt` must lie in the future and at most two years ahead (`expires_in_past`, `expires_too_late`)",
      },
    }),
    valid("param", CvrParam),
    allow("admin_or_operator"),
    valid("json", ApiKeyCreate),
    async (c) => {
      const { cvr } = c.req.valid("param");
      const p = requireAuthority(c, cvr, "admin_or_operator");
      const { db, clock } = c.get("deps");
      if (!(await findAuthority(db, cvr))) throw notFound(`authority ${cvr}`);
      const body = c.req.valid("json");
      if (body.role === "recipient") {
        const system = body.recipientSystemId ? await findRecipientSystem(db, cvr, body.recipientSystemId) : undefined;
        if (!system)
          throw new ApiError(422, "invalid_input", "a recipient key needs the recipientSystemId of one of the authority's systems", [
            { path: "recipientSystemId", code: "unknown_recipient_system", message: "not a recipient system of this authority" },
          ]);
        if (system.protocol !== "REST_PULL")
          throw new ApiError(422, "invalid_input", "recipient keys are for REST_PULL systems", [
            { path: "recipientSystemId", code: "not_pull_system", message: "the system pushes; it needs no key" },
          ]);
      } else if (body.recipientSystemId) {
        throw new ApiError(422, "invalid_input", "recipientSystemId belongs to recipient keys only", [
          { path: "recipientSystemId", code: "unexpected", message: "only for role recipient" },
        ]);
      }
      // Security time: the wall clock.
      const now = new Date();
      const expiresAt = body.expiresAt === undefined ? null : checkedExpiry(body.expiresAt, now);
      const id = newId("apiKey");
      const key = `pv_${body.role}_${randomToken(40)}`;
      const createdAt = now.toISOString();
      const recipientSystemId = body.recipientSystemId ?? null;
      const actor = actorOf(p);
      // The event's time is the domain clock's, read before the transaction (the simulated clock reads the database).
      const eventAt = (await clock.now()).toISOString();
      await inTransaction(db, async (tx) => {
        await insertApiKey(tx, {
          id,
          authority_cvr: cvr,
          role: body.role,
          recipient_system_id: recipientSystemId,
          label: body.label,
          key_hash: await sha256Hex(key),
          created_at: createdAt,
          revoked_at: null,
          expires_at: expiresAt,
        });
        await appendEvents(tx, [
          {
            authorityCvr: cvr,
            at: eventAt,
            type: EVENT_TYPE.apiKeyCreated,
            recipientSystemId,
            data: { keyId: id, role: body.role, label: body.label, expiresAt, by: actor.name, actor },
          },
        ]);
      });
      return c.json({ id, role: body.role, key, label: body.label, recipientSystemId, createdAt, expiresAt } satisfies ApiKey, 201);
    },
  )
  .get(
    "/v1/authorities/:cvr/api-keys",
    doc({
      operationId: "listApiKeys",
      summary:
        "The authority's API keys, oldest first, revoked and expired ones included; never the keys themselves (operator or the authority's admin)",
      tags: ["operator"],
      responses: { 200: { description: "the keys", schema: pageOf(ApiKeyInfo) } },
      problems: { 404: "no such authority, or not this token's" },
    }),
    valid("param", CvrParam),
    valid("query", PageQuery),
    async (c) => {
      const { cvr } = c.req.valid("param");
      requireAuthority(c, cvr, "admin_or_operator");
      const { db } = c.get("deps");
      const q = c.req.valid("query");
      const scope = cursorScope(c.req.path);
      const after = decodeCursorParam(q.cursor, ["string", "string"], scope);
      if (!after && !(await findAuthority(db, cvr))) throw notFound(`authority ${cvr}`);
      const rows = await listApiKeys(db, cvr, { limit: q.limit + 1, ...(after ? { after: { createdAt: after[0], id: after[1] } } : {}) });
      const { page, nextCursor } = keysetPage(rows, q.limit, (last) => [last.created_at, last.id], scope);
      return c.json({
        items: page.map(apiKeyInfo),
        nextCursor,
      });
    },
  )
  .delete(
    "/v1/authorities/:cvr/api-keys/:id",
    doc({
      operationId: "revokeApiKey",
      summary:
        "Revoke an API key: it answers 401 at once here and within seconds everywhere; revoking again answers the same (operator or the authority's admin)",
      tags: ["operator"],
      responses: { 200: { description: "the revoked key", schema: ApiKeyInfo } },
      problems: { 404: "no such key of this authority, or not this token's" },
    }),
    valid("param", CvrIdParam),
    allow("admin_or_operator"),
    noBody(),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      const p = requireAuthority(c, cvr, "admin_or_operator");
      const { db, clock, apiKeys } = c.get("deps");
      const actor = actorOf(p);
      const eventAt = (await clock.now()).toISOString();
      const row = await inTransaction(db, async (tx) => {
        const key = await findApiKey(tx, cvr, id);
        if (!key) throw notFound(`API key ${id}`);
        if (key.revoked_at) return key;
        const revokedAt = new Date().toISOString();
        if (!(await revokeApiKey(tx, cvr, id, revokedAt))) throw new Error(`API key ${id} changed while being revoked`);
        // Every process trusting a cached key reads this counter about once a second (auth.ts).
        await addToSetting(tx, REVOCATION_GENERATION_KEY, 1);
        await appendEvents(tx, [
          {
            authorityCvr: cvr,
            at: eventAt,
            type: EVENT_TYPE.apiKeyRevoked,
            recipientSystemId: key.recipient_system_id,
            data: { keyId: id, role: key.role, label: key.label, by: actor.name, actor },
          },
        ]);
        return { ...key, revoked_at: revokedAt };
      });
      // This process forgets its cached keys at once (after the commit: a lookup racing it reads the revocation).
      apiKeys.revoked();
      return c.json(apiKeyInfo(row));
    },
  );

/** `expiresAt` as stored (ISO UTC), or a 422 naming what is wrong with it (the rule: core/lifecycle). */
function checkedExpiry(expiresAt: string, now: Date): string {
  const check = checkKeyExpiry(expiresAt, now);
  if (!check.ok) {
    const detail = check.code === "expires_in_past" ? "expiresAt must lie in the future" : "an API key lives at most two years";
    throw new ApiError(422, "invalid_input", detail, [{ path: "expiresAt", code: check.code, message: check.message }]);
  }
  return check.expiresAt;
}

function apiKeyInfo(k: ApiKeyRow): ApiKeyInfo {
  return {
    id: k.id,
    role: k.role,
    label: k.label,
    recipientSystemId: k.recipient_system_id,
    createdAt: k.created_at,
    lastUsedAt: k.last_used_at ?? null,
    expiresAt: k.expires_at ?? null,
    revokedAt: k.revoked_at,
  };
}
