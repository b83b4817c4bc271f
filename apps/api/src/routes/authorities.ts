import { isValidCvr } from "@postvej/core/ids";
import { insertAuthority } from "@postvej/db";
import { Hono } from "hono";
import { Authority, AuthorityCreate, CvrParam, PortalSession, PortalSessionCreate, Session } from "@postvej/contract";
import { allow, requireAuthority, requireOperator } from "../auth.ts";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";
import { mintPortalSession } from "../services/portal-sessions.ts";
import { doc, noQuery, valid } from "../validate.ts";

/** Operator paths (authorities; keys are in api-keys.ts) and the portal-session mint. */
export const authorityRoutes = new Hono<AppEnv>()
  .post(
    "/v1/authorities",
    doc({
      operationId: "createAuthority",
      summary: "Create an authority (operator)",
      tags: ["operator"],
      responses: { 201: { description: "created", schema: Authority } },
      problems: { 404: "not the operator token", 409: "`authority_exists`", 422: "`invalid_cvr`: fails the modulus-11 check" },
    }),
    valid("json", AuthorityCreate),
    async (c) => {
      requireOperator(c);
      const { cvr, name } = c.req.valid("json");
      if (!isValidCvr(cvr)) {
        throw new ApiError(422, "invalid_cvr", `CVR ${cvr} fails the modulus-11 check`, [
          { path: "cvr", code: "invalid_cvr", message: "fails the modulus-11 check" },
        ]);
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
    "/v1/authorities/:cvr/portal-sessions",
    doc({
      operationId: "createPortalSession",
      summary: "Mint a short-lived portal token for the widgets (admin key)",
      tags: ["widgets"],
      responses: { 201: { description: "minted", schema: PortalSession } },
      problems: { 404: "not this authority's admin key" },
    }),
    valid("param", CvrParam),
    allow("admin_only"),
    valid("json", PortalSessionCreate),
    async (c) => {
      const { cvr } = c.req.valid("param");
      const p = requireAuthority(c, cvr, "admin_only");
      const { db, config } = c.get("deps");
      const body = c.req.valid("json");
      const minted = await mintPortalSession(db, {
        cvr,
        capabilities: body.capabilities,
        userName: body.user.name,
        createdByKeyId: p.kind === "api_key" ? p.keyId : "",
        // Token expiry is security time: the wall clock, whatever clock the domain runs on.
        now: new Date(),
        ttlSeconds: body.ttlSeconds ?? config.portalTokenTtlSeconds,
      });
      return c.json(minted, 201);
    },
  )
  .get(
    "/v1/session",
    doc({
      operationId: "getSession",
      summary: "Who the token belongs to and what it may do",
      tags: ["widgets"],
      responses: { 200: { description: "the caller", schema: Session } },
    }),
    noQuery(),
    async (c) => {
      const p = c.get("principal");
      if (p.kind === "portal") {
        // `now` is the server's wall clock, which token expiry runs on: the widgets time the refresh by it, not by the browser's.
        const now = new Date().toISOString();
        return c.json({
          kind: "portal",
          authorityCvr: p.authorityCvr,
          capabilities: p.capabilities,
          user: { name: p.userName },
          expiresAt: p.expiresAt,
          now,
        });
      }
      if (p.kind === "api_key") return c.json({ kind: "api_key", authorityCvr: p.authorityCvr, role: p.role, label: p.label });
      return c.json({ kind: "operator" });
    },
  );
