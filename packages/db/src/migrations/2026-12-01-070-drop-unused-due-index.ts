import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
// No query reads `messages_due` any more: every claim, retry-now and scheduler lookup of due post
// goes system by system through `messages_due_by_system`. Each message still paid for it twice
// (an entry at intake, its removal at delivery), so it goes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS messages_due`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS messages_due ON messages(next_attempt_at) WHERE state = 'queued' AND next_attempt_at IS NOT NULL`.execute(
    db,
  );
}
