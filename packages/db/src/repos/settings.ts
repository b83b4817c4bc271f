import { sql } from "kysely";
import type { Db } from "./db-handle.ts";

/** The value stored under `key`, or undefined. */
export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

/** Stores `value` under `key`, replacing what was there. */
export async function putSetting(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto("settings")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/** Adds `delta` to the integer stored under `key` (0 when absent) in one atomic statement; returns the new value. */
export async function addToSetting(db: Db, key: string, delta: number): Promise<number> {
  const row = await db
    .insertInto("settings")
    .values({ key, value: String(delta) })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet((e) => ({
        value: sql<string>`CAST(CAST(${e.ref("settings.value")} AS INTEGER) + CAST(${e.ref("excluded.value")} AS INTEGER) AS TEXT)`,
      })),
    )
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** Reads one settings row: the database answers (for the health check). */
export async function pingDatabase(db: Db): Promise<void> {
  await db.selectFrom("settings").select("key").limit(1).execute();
}
