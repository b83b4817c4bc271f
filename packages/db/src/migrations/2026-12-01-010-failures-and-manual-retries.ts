import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
// - attempts_failed_by_system: a system's last failed attempt (the status answer) by one seek.
// - events_retry_now: a system's last retry-now (its one-minute idempotency) by one seek.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX attempts_failed_by_system ON attempts(recipient_system_id, id) WHERE outcome = 'failed'`.execute(db);
  await sql`CREATE INDEX events_retry_now ON events(recipient_system_id, id) WHERE type = 'retry_now'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS events_retry_now`.execute(db);
  await sql`DROP INDEX IF EXISTS attempts_failed_by_system`.execute(db);
}
