import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
// The event log panel's lookups without a scan of the authority's whole log: its events by
// recipient system and by type (newest first, paged by id), and its messages by MeMo label.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX events_authority_system ON events(authority_cvr, recipient_system_id, id) WHERE recipient_system_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX events_authority_type ON events(authority_cvr, type, id)`.execute(db);
  await sql`CREATE INDEX messages_label ON messages(authority_cvr, label, received_at, uuid) WHERE label IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS messages_label`.execute(db);
  await sql`DROP INDEX IF EXISTS events_authority_type`.execute(db);
  await sql`DROP INDEX IF EXISTS events_authority_system`.execute(db);
}
