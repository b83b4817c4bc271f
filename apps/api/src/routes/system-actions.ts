import { CvrIdParam, DeactivatedSystem, RecipientSystem, RetryNow, TestDelivery } from "@postvej/contract";
import { reactivate } from "@postvej/core/lifecycle";
import { appendEvents, findRecipientSystem, inTransaction, reactivateRecipientSystem } from "@postvej/db";
import { Hono } from "hono";
import { actorOf, allow, requireAuthority } from "../auth.ts";
import type { AppEnv } from "../app-env.ts";
import { deactivateSystem } from "../delivery/deactivate.ts";
import { kickDeliveries } from "../delivery/kick.ts";
import { retrySystemNow } from "../delivery/manual-delivery.ts";
import { sendTestDelivery } from "../delivery/test-delivery.ts";
import { ApiError, notFound } from "../errors.ts";
import { signingSecretsFor } from "../services/signing-secrets.ts";
import { doc, noBody, valid } from "../validate.ts";
import { recipientSystemJson } from "../views/recipient-system-json.ts";

/** Manual state changes and the test delivery of a recipient system. */
export const systemActionRoutes = new Hono<AppEnv>()
  .post(
    "/v1/authorities/:cvr/recipient-systems/:id/deactivate",
    doc({
      operationId: "deactivateRecipientSystem",
      summary: "Deactivate a system by hand; its undelivered post moves to the primary, else Virk",
      tags: ["contact structure"],
      responses: { 200: { description: "the deactivated system", schema: DeactivatedSystem } },
      problems: { 404: "no such recipient system, or not this token's", 409: "`already_deactivated`" },
    }),
    valid("param", CvrIdParam),
    allow("admin_only"),
    noBody(),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      requireAuthority(c, cvr, "admin_only");
      const { db, clock, config, wallClock } = c.get("deps");
      const at = (await clock.now()).toISOString();
      const leaseNow = new Date((wallClock ?? Date.now)()).toISOString();
      const row = await inTransaction(db, async (tx) => {
        const s = await findRecipientSystem(tx, cvr, id);
        if (!s) throw notFound(`recipient system ${id}`);
        const done = await deactivateSystem(tx, s, "manual", at, config.portalUrl, leaseNow);
        if (!done) throw new ApiError(409, "already_deactivated", `recipient system ${id} is deactivated already`);
        // The row as the deactivation left it (state, clocks, updated_at), not as it was read.
        const after = await findRecipientSystem(tx, cvr, id);
        if (!after) throw new Error(`recipient system ${id} vanished while being deactivated`);
        return { ...after, moved: done.moved, destination: done.destination };
      });
      return c.json({ ...recipientSystemJson(row), moved: row.moved, destination: row.destination });
    },
  )
  .post(
    "/v1/authorities/:cvr/recipient-systems/:id/reactivate",
    doc({
      operationId: "reactivateRecipientSystem",
      summary: "Reactivate a system; new post routes to it again",
      tags: ["contact structure"],
      responses: { 200: { description: "the active system", schema: RecipientSystem } },
      problems: { 404: "no such recipient system, or not this token's", 409: "`already_active`" },
    }),
    valid("param", CvrIdParam),
    allow("reactivate"),
    noBody(),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      const p = requireAuthority(c, cvr, "reactivate");
      const { db, clock } = c.get("deps");
      const next = reactivate(await clock.now());
      const at = next.updatedAt;
      const row = await inTransaction(db, async (tx) => {
        const s = await findRecipientSystem(tx, cvr, id);
        if (!s) throw notFound(`recipient system ${id}`);
        if (s.state === "active") throw new ApiError(409, "already_active", `recipient system ${id} is active already`);
        const fresh = await reactivateRecipientSystem(tx, cvr, id, next);
        await appendEvents(tx, [
          { authorityCvr: cvr, at, type: "system_reactivated", recipientSystemId: id, data: { by: actorOf(p).name } },
        ]);
        return { ...s, ...fresh };
      });
      return c.json(recipientSystemJson(row));
    },
  )
  .post(
    "/v1/authorities/:cvr/recipient-systems/:id/test",
    doc({
      operationId: "testRecipientSystem",
      summary: "Send a signed test delivery now and report the outcome (stores nothing)",
      tags: ["contact structure"],
      responses: { 200: { description: "the outcome", schema: TestDelivery } },
      problems: { 404: "no such recipient system, or not this token's", 409: "`not_push_system`: a pull system has nothing to push" },
    }),
    valid("param", CvrIdParam),
    allow("reactivate"),
    noBody(),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      requireAuthority(c, cvr, "reactivate");
      const { db, clock, config } = c.get("deps");
      const s = await findRecipientSystem(db, cvr, id);
      if (!s) throw notFound(`recipient system ${id}`);
      if (s.protocol !== "REST_PUSH")
        throw new ApiError(409, "not_push_system", "a pull system fetches its post; there is nothing to push");
      // Signed with the current secret alone, even during a rotation: it shows whether the receiver holds the new one.
      const [current] = await signingSecretsFor(config.secretKey, s, new Date());
      return c.json(await sendTestDelivery({ ...s, signing_secret: current ?? null }, await clock.now(), config, c.get("deps").fetch));
    },
  )
  .post(
    "/v1/authorities/:cvr/recipient-systems/:id/retry-now",
    doc({
      operationId: "retryRecipientSystemNow",
      summary:
        "Make the system's queued post due now instead of at its back-off (at most 10,000 messages a call); the same answer for a minute after",
      tags: ["contact structure"],
      responses: {
        202: {
          description: "the post is due now and a delivery run starts; `more` says whether another call has more to do",
          schema: RetryNow,
        },
        200: {
          description: "a retry-now that left nothing more was asked for less than a minute ago: that one, unchanged",
          schema: RetryNow,
        },
      },
      problems: {
        404: "no such recipient system, or not this token's",
        409: "`system_deactivated`: the system is deactivated (reactivate it first); `not_push_system`: a pull system fetches its own post",
      },
    }),
    valid("param", CvrIdParam),
    allow("reactivate"),
    noBody(),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      const p = requireAuthority(c, cvr, "reactivate");
      const { db, clock, wallClock } = c.get("deps");
      const s = await findRecipientSystem(db, cvr, id);
      if (!s) throw notFound(`recipient system ${id}`);
      const actor = actorOf(p);
      const r = await retrySystemNow(
        db,
        s,
        { kind: actor.kind === "portal_user" ? "portal_user" : "api_key", id: actor.id, name: actor.name },
        await clock.now(),
        new Date((wallClock ?? Date.now)()),
      );
      if (r.kick) kickDeliveries(c, r.kick);
      return c.json(r.body, r.repeat ? 200 : 202);
    },
  );
