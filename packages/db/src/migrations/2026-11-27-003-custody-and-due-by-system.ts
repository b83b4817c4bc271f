import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
// - queued_at: when a message entered its current custodian's queue (intake, release, reroute,
//   relocation); a pull system's grace period runs from it, not from the intake time.
// - messages_due_by_system: due push work per system, so each system's share is claimed by seek.
// - events_virk: the hourly Virk digest counts one authority's landings since its last digest.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE messages ADD COLUMN queued_at TEXT`.execute(db);
  await sql`UPDATE messages SET queued_at = COALESCE(release_at, received_at)`.execute(db);
  await sql`DROP INDEX IF EXISTS messages_waiting`.execute(db);
  await sql`CREATE INDEX messages_waiting ON messages(custodian_system_id, queued_at) WHERE state = 'queued' AND first_failed_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX messages_due_by_system ON messages(custodian_system_id, next_attempt_at) WHERE state = 'queued' AND next_attempt_at IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX events_virk ON events(authority_cvr, at) WHERE type = 'landed_in_virk'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS events_virk`.execute(db);
  await sql`DROP INDEX IF EXISTS messages_due_by_system`.execute(db);
  await sql`DROP INDEX IF EXISTS messages_waiting`.execute(db);
  await sql`CREATE INDEX messages_waiting ON messages(custodian_system_id, received_at) WHERE state = 'queued' AND first_failed_at IS NULL`.execute(
    db,
  );
  await sql`ALTER TABLE messages DROP COLUMN queued_at`.execute(db);
}
