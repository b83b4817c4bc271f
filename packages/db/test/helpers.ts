import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { openNodeDatabase } from "../src/client-node.ts";
import { migrateToLatest } from "../src/migrate.ts";
import type { Database } from "../src/schema.ts";

/** A fresh, migrated database in a temporary file. */
export async function freshDatabase(): Promise<Kysely<Database>> {
  const dir = mkdtempSync(join(tmpdir(), "postvej-db-"));
  const db = await openNodeDatabase(`file:${join(dir, "test.db")}`);
  await migrateToLatest(db);
  return db;
}
