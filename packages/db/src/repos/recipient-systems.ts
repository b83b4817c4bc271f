import type { Updateable } from "kysely";
import type { RecipientSystemsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** Stores a new recipient system. */
export async function insertRecipientSystem(db: Db, row: RecipientSystemsTable): Promise<void> {
  await db.insertInto("recipient_systems").values(row).execute();
}

/** An authority's recipient system by id, or undefined (another authority's looks missing). */
export function findRecipientSystem(db: Db, cvr: string, id: string): Promise<RecipientSystemsTable | undefined> {
  return db.selectFrom("recipient_systems").selectAll().where("authority_cvr", "=", cvr).where("id", "=", id).executeTakeFirst();
}

/** A recipient system by id alone (for the scheduler). */
export function getRecipientSystem(db: Db, id: string): Promise<RecipientSystemsTable | undefined> {
  return db.selectFrom("recipient_systems").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Every recipient system of an authority, oldest first. */
export function listRecipientSystems(db: Db, cvr: string): Promise<RecipientSystemsTable[]> {
  return db.selectFrom("recipient_systems").selectAll().where("authority_cvr", "=", cvr).orderBy("created_at").orderBy("id").execute();
}

/** Changes the given columns of an authority's system; false when it is not there. */
export async function updateRecipientSystem(
  db: Db,
  cvr: string,
  id: string,
  changes: Updateable<RecipientSystemsTable>,
): Promise<boolean> {
  const r = await db.updateTable("recipient_systems").set(changes).where("authority_cvr", "=", cvr).where("id", "=", id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Moves the primary mark to `id` (clearing it elsewhere first, so the unique index holds). */
export async function setPrimary(db: Db, cvr: string, id: string, now: string): Promise<void> {
  await db.updateTable("recipient_systems").set({ is_primary: 0, updated_at: now })
    .where("authority_cvr", "=", cvr).where("is_primary", "=", 1).where("id", "!=", id).execute();
  await db.updateTable("recipient_systems").set({ is_primary: 1, updated_at: now })
    .where("authority_cvr", "=", cvr).where("id", "=", id).execute();
}
