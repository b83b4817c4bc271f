import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
// Messages waiting for their first attempt (pull systems' unfetched post), found without a scan.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX messages_waiting ON messages(custodian_system_id, received_at) WHERE state = 'queued' AND first_failed_at IS NULL`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS messages_waiting`.execute(db);
}
