import {
  findAuthority,
  findContactPoint,
  findRecipientSystem,
  insertContactPoint,
  listContactPoints,
  updateContactPoint,
  type ContactPointsTable,
} from "@postvej/db";
import { ContactPoint, ContactPointCreate, ContactPointPatch, CvrIdParam, CvrParam, PageQuery, pageOf } from "@postvej/contract";
import { Hono } from "hono";
import { allow, requireAuthority } from "../auth.ts";
import type { AppEnv } from "../app-env.ts";
import { cursorScope, pageOfList } from "../cursor.ts";
import { ApiError, notFound } from "../errors.ts";
import { doc, noQuery, valid } from "../validate.ts";
import { contactPointJson } from "../views/contact-point-json.ts";

/** Admin paths for contact points. */
export const contactPointRoutes = new Hono<AppEnv>()
  .post(
    "/v1/authorities/:cvr/contact-points",
    doc({
      operationId: "createContactPoint",
      summary: "Create a contact point (id: a v4 UUID, generated when absent)",
      tags: ["contact structure"],
      responses: { 201: { description: "created", schema: ContactPoint } },
      problems: {
        404: "no such authority, or not this token's",
        409: "`contact_point_exists`",
        422: "the recipient system is not one of the authority's",
      },
    }),
    valid("param", CvrParam),
    allow("admin_only"),
    valid("json", ContactPointCreate),
    async (c) => {
      const { cvr } = c.req.valid("param");
      const { db, clock } = c.get("deps");
      if (!(await findAuthority(db, cvr))) throw notFound(`authority ${cvr}`);
      const body = c.req.valid("json");
      await requireSystem(c.get("deps").db, cvr, body.recipientSystemId);
      const now = (await clock.now()).toISOString();
      const row: ContactPointsTable = {
        id: (body.id ?? crypto.randomUUID()).toLowerCase(),
        authority_cvr: cvr,
        name: body.name,
        recipient_system_id: body.recipientSystemId,
        visible: body.visible ? 1 : 0,
        audiences: JSON.stringify([...new Set(body.audiences)]),
        max_size_mb: body.maxSizeMb ?? null,
        max_attachments: body.maxAttachments ?? null,
        active: body.active ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      if (!(await insertContactPoint(db, row))) throw new ApiError(409, "contact_point_exists", `contact point ${row.id} exists already`);
      return c.json(contactPointJson(row), 201);
    },
  )
  .get(
    "/v1/authorities/:cvr/contact-points",
    doc({
      operationId: "listContactPoints",
      summary: "List the authority's contact points",
      tags: ["contact structure"],
      responses: { 200: { description: "the list", schema: pageOf(ContactPoint) } },
      problems: { 404: "no such authority, or not this token's" },
    }),
    valid("param", CvrParam),
    valid("query", PageQuery),
    async (c) => {
      const { cvr } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const listed = pageOfList(await listContactPoints(c.get("deps").db, cvr), c.req.valid("query"), cursorScope(c.req.path));
      return c.json({ items: listed.page.map(contactPointJson), nextCursor: listed.nextCursor });
    },
  )
  .get(
    "/v1/authorities/:cvr/contact-points/:id",
    doc({
      operationId: "getContactPoint",
      summary: "Read one contact point",
      tags: ["contact structure"],
      responses: { 200: { description: "the contact point", schema: ContactPoint } },
      problems: { 404: "no such contact point, or not this token's" },
    }),
    valid("param", CvrIdParam),
    noQuery(),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      requireAuthority(c, cvr, "view");
      const row = await findContactPoint(c.get("deps").db, cvr, id.toLowerCase());
      if (!row) throw notFound(`contact point ${id}`);
      return c.json(contactPointJson(row));
    },
  )
  .patch(
    "/v1/authorities/:cvr/contact-points/:id",
    doc({
      operationId: "updateContactPoint",
      summary: "Change a contact point",
      tags: ["contact structure"],
      responses: { 200: { description: "the changed contact point", schema: ContactPoint } },
      problems: { 404: "no such contact point, or not this token's", 422: "the recipient system is not one of the authority's" },
    }),
    valid("param", CvrIdParam),
    allow("admin_only"),
    valid("json", ContactPointPatch),
    async (c) => {
      const { cvr, id } = c.req.valid("param");
      const { db, clock } = c.get("deps");
      const row = await findContactPoint(db, cvr, id.toLowerCase());
      if (!row) throw notFound(`contact point ${id}`);
      const b = c.req.valid("json");
      if (b.recipientSystemId !== undefined) await requireSystem(db, cvr, b.recipientSystemId);
      const changes: Partial<ContactPointsTable> = { updated_at: (await clock.now()).toISOString() };
      if (b.name !== undefined) changes.name = b.name;
      if (b.recipientSystemId !== undefined) changes.recipient_system_id = b.recipientSystemId;
      if (b.visible !== undefined) changes.visible = b.visible ? 1 : 0;
      if (b.audiences !== undefined) changes.audiences = JSON.stringify([...new Set(b.audiences)]);
      if (b.maxSizeMb !== undefined) changes.max_size_mb = b.maxSizeMb;
      if (b.maxAttachments !== undefined) changes.max_attachments = b.maxAttachments;
      if (b.active !== undefined) changes.active = b.active ? 1 : 0;
      // Nothing to change (`{}` or no body) changes nothing, its time included.
      if (Object.keys(changes).length === 1) return c.json(contactPointJson(row));
      await updateContactPoint(db, cvr, row.id, changes);
      return c.json(contactPointJson({ ...row, ...changes }));
    },
  );

async function requireSystem(db: Parameters<typeof findRecipientSystem>[0], cvr: string, id: string): Promise<void> {
  if (!(await findRecipientSystem(db, cvr, id))) {
    throw new ApiError(422, "invalid_input", `recipient system ${id} is not one of the authority's`, [
      { path: "recipientSystemId", code: "unknown_recipient_system", message: "not a recipient system of this authority" },
    ]);
  }
}
