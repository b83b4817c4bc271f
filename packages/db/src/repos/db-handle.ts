import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.ts";

/** A database or an open transaction: every repository function takes one of these first. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Runs `work` in one write transaction. */
export function inTransaction<T>(db: Kysely<Database>, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
