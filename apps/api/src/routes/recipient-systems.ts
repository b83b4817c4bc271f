import { becomesPrimary, canBecomePrimary } from "@postvej/core/routing";
import { checkEndpoint, EVENT_TYPE } from "@postvej/core/delivery";
import { rotateSecret } from "@postvej/core/lifecycle";
import { newId } from "@postvej/core/ids";
import {
  appendEvents,
  findAuthority,
  findRecipientSystem,
  inTransaction,
  insertRecipientSystem,
  listRecipientSystems,
  setPrimary,
  updateRecipientSystem,
  type RecipientSystemsTable,
  NEW_SYSTEM_STATE,
} from "@postvej/db";
import {
  CvrIdParam,
  CvrParam,
  PageQuery,
  pageOf,
  RecipientSystem,
  RecipientSystemCreate,
  RecipientSystemPatch,
  SigningSecret,
  SigningSecretRotation,
} from "@postvej/contract";
import { Hono } from "hono";
import { actorOf, allow, requireAuthority } from "../auth.ts";
import type { AppEnv } from "../app-env.ts";
import { cursorScope, pageOfList } from "../cursor.ts";
import { ApiError, notFound } from "../errors.ts";
import { freshSigningSecret, storedSecrets } from "../services/signing-secrets.ts";
import { doc, noBody, noQuery, valid } from "../validate.ts";
import { recipientSystemJson } from "../views/recipient-system-json.ts";

/** Admin paths for recipient systems: create, list, read, change, make primary, rotate the signing secret. */
export const recipientSystemRoutes = new Hono<AppEnv>()
  .post(
    "/v1/authorities/:cvr/recipient-systems",
    doc({
      operationId: "createRecipientSystem",
      summary: "Create a recipient system; a push system's signingSecret is shown once",
      tags: ["contact structure"],
      responses: { 201: { description: "created", schema: RecipientSystem } },
      problems: {
        404: "no such authority, or not this token's",
        422: "`invalid_endpoint`, or an endpoint where the protocol wants none (or none where it wants one)",
      },
    }),
    valid("param", CvrParam),
    allow("admin_only"),
    valid("json", RecipientSystemCreate),
    async (c) => {
      const { cvr } = c.req.valid("param");
      const { db, clock, config } = c.get("deps");
      if (!(await findAuthority(db, cvr))) throw notFound(`authority ${cvr}`);
      const body = c.req.valid("json");
      const endpoint = checkedEndpoint(body.protocol, body.endpoint, config.production);
      const now = (await clock.now()).toISOString();
      const id = newId("recipientSystem");
      // Shown once here; stored sealed when POSTVEJ_SECRET_KEY is set.
      const secret = body.protocol === "REST_PUSH" ? await freshSigningSecret(config.secretKey, id) : null;
      const row: RecipientSystemsTable = {
        id,
        authority_cvr: cvr,
        name: body.name,
        protocol: body.protocol,
        endpoint,
        signing_secret: secret?.stored ?? null,
        technical_contact_name: body.technicalContact.name,
        technical_contact_email: body.technicalContact.email,
        technical_contact_phone: body.technicalContact.phone ?? null,
        business_contact_email: body.businessContactEmail,
        memo_version: body.memoVersion,
        ...NEW_SYSTEM_STATE,
        created_at: now,
        updated_at: now,
      };
      await inTransaction(db, async (tx) => {
        await insertRecipientSystem(tx, row);
        const hasPrimary = (await listRecipientSystems(tx, cvr)).some((s) => s.is_primary === 1);
        if (becomesPrimary(body.primary, hasPrimary)) {
          await setPrimary(tx, cvr, row.id, now);
          row.is_primary = 1;
        }
      });
      return c.json({ ...recipientSystemJson(row), signingSecret: secret?.secret ?? undefined }, 201);
    },
  )
  .get(
    "/v1/authorities/:cvr/recipient-systems",
    doc({
      operationId: "listRecipientSystems",
      summary: "List the authority's recipient systems",
      tags: ["contact structure"],
      responses: { 200: { description: "the list", schema: pageOf(RecipientSystem) } },
      problems: { 404: "no such authority, or not this token's" },
    }),
    valid("param", CvrParam),
    valid("query", PageQuery),
    async (c) => {
      const { cvr } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const listed = pageOfList(await listRecipientSystems(c.get("deps").db, cvr), c.req.valid("query"), cursorScope(c.req.path));
      return c.json({ items: listed.page.map(recipientSystemJson), nextCursor: listed.nextCursor });
    },
  )
  .get(
    "/v1/authorities/:cvr/recipient-systems/:id",
    doc({
      operationId: "getRecipientSystem",
      summary: "Read one recipient system",
      tags: ["contact structure"],
      responses: { 200: { description: "the system", schema: RecipientSystem } },
      problems: { 404: "no such recipient system, or not this token's" },
    }),
    valid("param", CvrIdParam),
    noQuery(),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const row = await findRecipientSystem(c.get("deps").db, cvr, id);
      if (!row) throw notFound(`recipient system ${id}`);
      return c.json(recipientSystemJson(row));
    },
  )
  .patch(
    "/v1/authorities/:cvr/recipient-systems/:id",
    doc({
      operationId: "updateRecipientSystem",
      summary: "Change a recipient system",
      tags: ["contact structure"],
      responses: { 200: { description: "the changed system", schema: RecipientSystem } },
      problems: { 404: "no such recipient system, or not this token's", 422: "`invalid_endpoint`, or an endpoint for a REST_PULL system" },
    }),
    valid("param", CvrIdParam),
    allow("admin_only"),
    valid("json", RecipientSystemPatch),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      const { db, clock, config } = c.get("deps");
      const row = await findRecipientSystem(db, cvr, id);
      if (!row) throw notFound(`recipient system ${id}`);
      const body = c.req.valid("json");
      const changes: Partial<RecipientSystemsTable> = { updated_at: (await clock.now()).toISOString() };
      if (body.name !== undefined) changes.name = body.name;
      if (body.endpoint !== undefined) changes.endpoint = checkedEndpoint(row.protocol, body.endpoint, config.production);
      if (body.memoVersion !== undefined) changes.memo_version = body.memoVersion;
      if (body.businessContactEmail !== undefined) changes.business_contact_email = body.businessContactEmail;
      if (body.technicalContact !== undefined) {
        changes.technical_contact_name = body.technicalContact.name;
        changes.technical_contact_email = body.technicalContact.email;
        changes.technical_contact_phone = body.technicalContact.phone ?? null;
      }
      // Nothing to change (`{}` or no body) changes nothing, its time included.
      if (Object.keys(changes).length === 1) return c.json(recipientSystemJson(row));
      await updateRecipientSystem(db, cvr, id, changes);
      return c.json(recipientSystemJson({ ...row, ...changes }));
    },
  )
  .post(
    "/v1/authorities/:cvr/recipient-systems/:id/primary",
    doc({
      operationId: "makeRecipientSystemPrimary",
      summary: "Make this system the primary (the previous one stops being primary)",
      tags: ["contact structure"],
      responses: { 200: { description: "the new primary", schema: RecipientSystem } },
      problems: { 404: "no such recipient system, or not this token's", 409: "`system_deactivated`: reactivate it first" },
    }),
    valid("param", CvrIdParam),
    allow("admin_only"),
    noBody(),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      requireAuthority(c, cvr, "admin_only");
      const { db, clock } = c.get("deps");
      const now = (await clock.now()).toISOString();
      const row = await inTransaction(db, async (tx) => {
        const system = await findRecipientSystem(tx, cvr, id);
        if (!system) throw notFound(`recipient system ${id}`);
        if (!canBecomePrimary(system.state))
          throw new ApiError(409, "system_deactivated", "a deactivated system cannot become primary; reactivate it first");
        await setPrimary(tx, cvr, id, now);
        await appendEvents(tx, [{ authorityCvr: cvr, at: now, type: "primary_changed", recipientSystemId: id }]);
        return { ...system, is_primary: 1, updated_at: now };
      });
      return c.json(recipientSystemJson(row));
    },
  )
  .post(
    "/v1/authorities/:cvr/recipient-systems/:id/signing-secret",
    doc({
      operationId: "rotateSigningSecret",
      summary:
        "Rotate a push system's signing secret: the new one is shown once; pushes carry both signatures until previousValidUntil, then the new one's only",
      tags: ["contact structure"],
      responses: { 201: { description: "the new secret", schema: SigningSecret } },
      problems: {
        404: "no such recipient system, or not this token's",
        409: "`not_push_system`: a pull system has no signing secret",
        422: "graceHours is not a whole number from 0 to 168",
      },
    }),
    valid("param", CvrIdParam),
    allow("admin_only"),
    valid("json", SigningSecretRotation),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      const p = requireAuthority(c, cvr, "admin_only");
      const { db, clock, config } = c.get("deps");
      const { graceHours } = c.req.valid("json");
      const fresh = await freshSigningSecret(config.secretKey, id);
      const actor = actorOf(p);
      // The domain clock's time for the event and updatedAt, read before the transaction (the simulated clock reads the database).
      const at = (await clock.now()).toISOString();
      const rotated = await inTransaction(db, async (tx) => {
        const s = await findRecipientSystem(tx, cvr, id);
        if (!s) throw notFound(`recipient system ${id}`);
        if (s.protocol !== "REST_PUSH")
          throw new ApiError(409, "not_push_system", "a pull system fetches its post with its API key; it has no signing secret to rotate");
        // The grace is security time: the wall clock, as receivers' clocks run.
        const next = rotateSecret(storedSecrets(s), fresh.stored, new Date(), graceHours);
        await updateRecipientSystem(tx, cvr, id, {
          signing_secret: next.current,
          previous_signing_secret: next.previous,
          previous_secret_valid_until: next.previous === null ? null : next.previousValidUntil,
          updated_at: at,
        });
        await appendEvents(tx, [
          {
            authorityCvr: cvr,
            at,
            type: EVENT_TYPE.signingSecretRotated,
            recipientSystemId: id,
            data: { graceHours, previousValidUntil: next.previousValidUntil, by: actor.name, actor },
          },
        ]);
        return next;
      });
      return c.json({ signingSecret: fresh.secret, previousValidUntil: rotated.previousValidUntil } satisfies SigningSecret, 201);
    },
  );

function checkedEndpoint(protocol: "REST_PUSH" | "REST_PULL", endpoint: string | undefined, production: boolean): string | null {
  if (protocol === "REST_PULL") {
    if (endpoint)
      throw new ApiError(422, "invalid_input", "a REST_PULL system has no endpoint", [
        { path: "endpoint", code: "unexpected", message: "pull systems fetch their post" },
      ]);
    return null;
  }
  if (!endpoint)
    throw new ApiError(422, "invalid_input", "a REST_PUSH system needs an endpoint", [
      { path: "endpoint", code: "required", message: "required for REST_PUSH" },
    ]);
  const check = checkEndpoint(endpoint, { production });
  if (!check.ok)
    throw new ApiError(422, "invalid_endpoint", check.message, [{ path: "endpoint", code: check.code, message: check.message }]);
  return endpoint;
}
