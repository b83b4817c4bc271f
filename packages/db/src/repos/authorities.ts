import type { AuthoritiesTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** Inserts an authority; false when the CVR is taken. */
export async function insertAuthority(db: Db, row: AuthoritiesTable): Promise<boolean> {
  const r = await db
    .insertInto("authorities")
    .values(row)
    .onConflict((oc) => oc.column("cvr").doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** The authority with this CVR, or undefined. */
export function findAuthority(db: Db, cvr: string): Promise<AuthoritiesTable | undefined> {
  return db.selectFrom("authorities").selectAll().where("cvr", "=", cvr).executeTakeFirst();
}

/** Every authority's CVR and name. */
export function listAuthorities(db: Db): Promise<{ cvr: string; name: string }[]> {
  return db.selectFrom("authorities").select(["cvr", "name"]).execute();
}
