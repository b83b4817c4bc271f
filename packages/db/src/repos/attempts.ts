import type { Insertable } from "kysely";
import type { AttemptsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** Appends delivery attempts (pushes, pull receipts, overdue pulls) to a message's history. */
export async function insertAttempts(db: Db, rows: readonly Insertable<AttemptsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto("attempts").values([...rows]).execute();
}
