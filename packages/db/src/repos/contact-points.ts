import type { Updateable } from "kysely";
import type { ContactPointsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** Stores a new contact point; false when the id is taken. */
export async function insertContactPoint(db: Db, row: ContactPointsTable): Promise<boolean> {
  const r = await db
    .insertInto("contact_points")
    .values(row)
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** An authority's contact point by id, or undefined. */
export function findContactPoint(db: Db, cvr: string, id: string): Promise<ContactPointsTable | undefined> {
  return db.selectFrom("contact_points").selectAll().where("authority_cvr", "=", cvr).where("id", "=", id).executeTakeFirst();
}

/** Every contact point of an authority. */
export function listContactPoints(db: Db, cvr: string): Promise<ContactPointsTable[]> {
  return db.selectFrom("contact_points").selectAll().where("authority_cvr", "=", cvr).orderBy("name").orderBy("id").execute();
}

/** Changes the given columns; false when the contact point is not the authority's. */
export async function updateContactPoint(db: Db, cvr: string, id: string, changes: Updateable<ContactPointsTable>): Promise<boolean> {
  const r = await db.updateTable("contact_points").set(changes).where("authority_cvr", "=", cvr).where("id", "=", id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** An authority's contact points joined with their recipient systems (by name, then id), as relocation plans with them. */
export function listContactPointsWithSystems(db: Db, cvr: string) {
  return db
    .selectFrom("contact_points as cp")
    .innerJoin("recipient_systems as s", (j) =>
      j.onRef("s.id", "=", "cp.recipient_system_id").onRef("s.authority_cvr", "=", "cp.authority_cvr"),
    )
    .select(["cp.id", "cp.name", "cp.visible", "cp.active", "s.id as systemId", "s.name as systemName", "s.state", "s.protocol"])
    .where("cp.authority_cvr", "=", cvr)
    .orderBy("cp.name")
    .orderBy("cp.id")
    .execute();
}
