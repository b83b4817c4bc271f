import { isValidCvr, newId, randomToken, sha256Hex } from "@postvej/core/ids";
import { findAuthority, findRecipientSystem, insertApiKey, insertAuthority } from "@postvej/db";
import { Hono } from "hono";
import { ApiKey, ApiKeyCreate, Authority, AuthorityCreate, CvrParam, PortalSession, PortalSessionCreate, Session } from "@postvej/contract";
import { requireAuthority, requireOperator } from "../auth.ts";
import type { AppEnv } from "../app-env.ts";
import { ApiError, notFound } from "../errors.ts";
import { mintPortalSession } from "../services/portal-sessions.ts";
import { doc, valid } from "../validate.ts";

/** Operator paths (authorities, keys) and the portal-session mint. */
export const authorityRoutes = new Hono<AppEnv>()
  .post(
    "/v1/authorities",
    doc({ operationId: "createAuthority", summary: "Create an authority (operator)", tags: ["operator"], responses: { 201: { description: "created", schema: Authority } }, problems: { 404: "not the operator token", 409: "`authority_exists`", 422: "`invalid_cvr`: fails the modulus-11 check" } }),
    valid("json", AuthorityCreate),
    async (c) => {
      requireOperator(c);
      const { cvr, name } = c.req.valid("json");
      if (!isValidCvr(cvr)) {
        throw new ApiError(422, "invalid_cvr", `CVR ${cvr} fails the modulus-11 check`, [{ path: "cvr", code: "invalid_cvr", message: "fails the modulus-11 check" }]);
      }
      const { db, clock } = c.get("deps");
      const createdAt = (await clock.now()).toISOString();
      if (!(await insertAuthority(db, { cvr, name, created_at: createdAt }))) {
        throw new ApiError(409, "authority_exists", `an authority with CVR ${cvr} exists already`);
      }
      return c.json({ cvr, name, createdAt }, 201);
    },
  )
  .post(
    "/v1/authorities/:cvr/api-keys",
    doc({ operationId: "createApiKey", summary: "Create an API key; the key is shown once (operator or the authority's admin)", tags: ["operator"], responses: { 201: { description: "created", schema: ApiKey } }, problems: { 404: "no such authority, or not this token's", 422: "a recipient key needs a REST_PULL system of the authority" } }),
    valid("param", CvrParam),
    valid("json", ApiKeyCreate),
    async (c) => {
      const { cvr } = c.req.valid("param");
      if (c.get("principal").kind !== "operator") requireAuthority(c, cvr, "admin_only");
      const { db, clock } = c.get("deps");
      if (!(await findAuthority(db, cvr))) throw notFound(`authority ${cvr}`);
      const body = c.req.valid("json");
      if (body.role === "recipient") {
        const system = body.recipientSystemId ? await findRecipientSystem(db, cvr, body.recipientSystemId) : undefined;
        if (!system) throw new ApiError(422, "invalid_input", "a recipient key needs the recipientSystemId of one of the authority's systems", [{ path: "recipientSystemId", code: "unknown_recipient_system", message: "not a recipient system of this authority" }]);
        if (system.protocol !== "REST_PULL") throw new ApiError(422, "invalid_input", "recipient keys are for REST_PULL systems", [{ path: "recipientSystemId", code: "not_pull_system", message: "the system pushes; it needs no key" }]);
      } else if (body.recipientSystemId) {
        throw new ApiError(422, "invalid_input", "recipientSystemId belongs to recipient keys only", [{ path: "recipientSystemId", code: "unexpected", message: "only for role recipient" }]);
      }
      const id = newId("apiKey");
      const key = `pv_${body.role}_${randomToken(40)}`;
      await insertApiKey(db, {
        id, authority_cvr: cvr, role: body.role, recipient_system_id: body.recipientSystemId ?? null,
        label: body.label, key_hash: await sha256Hex(key), created_at: (await clock.now()).toISOString(), revoked_at: null,
      });
      return c.json({ id, role: body.role, key, label: body.label, recipientSystemId: body.recipientSystemId ?? null }, 201);
    },
  )
  .post(
    "/v1/authorities/:cvr/portal-sessions",
    doc({ operationId: "createPortalSession", summary: "Mint a short-lived portal token for the widgets (admin key)", tags: ["widgets"], responses: { 201: { description: "minted", schema: PortalSession } }, problems: { 404: "not this authority's admin key" } }),
    valid("param", CvrParam),
    valid("json", PortalSessionCreate),
    async (c) => {
      const { cvr } = c.req.valid("param");
      const p = requireAuthority(c, cvr, "admin_only");
      const { db, config } = c.get("deps");
      const body = c.req.valid("json");
      const minted = await mintPortalSession(db, {
        cvr, capabilities: body.capabilities, userName: body.user.name, createdByKeyId: p.kind === "api_key" ? p.keyId : "",
        // Token expiry is security time: the wall clock, whatever clock the domain runs on.
        now: new Date(), ttlSeconds: body.ttlSeconds ?? config.portalTokenTtlSeconds,
      });
      return c.json(minted, 201);
    },
  )
  .get(
    "/v1/session",
    doc({ operationId: "getSession", summary: "Who the token belongs to and what it may do", tags: ["widgets"], responses: { 200: { description: "the caller", schema: Session } } }),
    async (c) => {
      const p = c.get("principal");
      if (p.kind === "portal") {
        // `now` is the server's wall clock, which token expiry runs on: the widgets time the refresh by it, not by the browser's.
        const now = new Date().toISOString();
        return c.json({ kind: "portal", authorityCvr: p.authorityCvr, capabilities: p.capabilities, user: { name: p.userName }, expiresAt: p.expiresAt, now });
      }
      if (p.kind === "api_key") return c.json({ kind: "api_key", authorityCvr: p.authorityCvr, role: p.role, label: p.label });
      return c.json({ kind: "operator" });
    },
  );
