import { isValidCvr, newId, randomToken, sha256Hex } from "@postvej/core/ids";
import { findAuthority, findRecipientSystem, insertApiKey, insertAuthority } from "@postvej/db";
import { Hono } from "hono";
import { z } from "zod";
import { CAPABILITY, requireAuthority, requireOperator } from "../auth.ts";
import type { AppEnv } from "../app-env.ts";
import { ApiError, notFound } from "../errors.ts";
import { portalSessionSchema, sessionSchema } from "../response-schemas.ts";
import { cvrParam } from "../schemas.ts";
import { mintPortalSession } from "../services/portal-sessions.ts";
import { doc, valid } from "../validate.ts";

const authorityBody = z.object({
  cvr: z.string().regex(/^\d{8}$/, "a CVR number is 8 digits"),
  name: z.string().trim().min(1).max(200),
});
const authorityOut = z.object({ cvr: z.string(), name: z.string(), createdAt: z.string() });

const apiKeyBody = z.object({
  role: z.enum(["sender", "admin", "recipient"]),
  recipientSystemId: z.string().optional(),
  label: z.string().trim().min(1).max(200),
});
const apiKeyOut = z.object({ id: z.string(), role: z.string(), key: z.string(), label: z.string(), recipientSystemId: z.string().nullable() });

const portalSessionBody = z.object({
  capabilities: z.array(z.enum([CAPABILITY.view, CAPABILITY.relocate, CAPABILITY.reactivate])).min(1),
  user: z.object({ name: z.string().trim().min(1).max(200) }),
  ttlSeconds: z.number().int().min(60).max(43_200).optional(),
});

/** Operator paths (authorities, keys) and the portal-session mint. */
export const authorityRoutes = new Hono<AppEnv>()
  .post(
    "/v1/authorities",
    doc({ summary: "Create an authority (operator)", tags: ["operator"], responses: { 201: { description: "created", schema: authorityOut } } }),
    valid("json", authorityBody),
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
    doc({ summary: "Create an API key; the key is shown once (operator or the authority's admin)", tags: ["operator"], responses: { 201: { description: "created", schema: apiKeyOut } } }),
    valid("param", cvrParam),
    valid("json", apiKeyBody),
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
    doc({ summary: "Mint a short-lived portal token for the widgets (admin key)", tags: ["widgets"], responses: { 201: { description: "minted", schema: portalSessionSchema } } }),
    valid("param", cvrParam),
    valid("json", portalSessionBody),
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
    doc({ summary: "Who the token belongs to and what it may do", tags: ["widgets"], responses: { 200: { description: "the caller", schema: sessionSchema } } }),
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
