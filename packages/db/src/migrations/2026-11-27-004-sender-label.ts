import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
// The MeMo Sender label, kept at intake so the Virk mailbox lists it without reading each body.
// NULL: received before this column (read from the body when listed); "": the MeMo names none.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE messages ADD COLUMN sender_label TEXT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE messages DROP COLUMN sender_label`.execute(db);
}
