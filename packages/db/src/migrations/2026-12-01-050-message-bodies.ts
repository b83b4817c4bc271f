import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
// A message's original bytes move to their own table: SQLite rewrites a whole row (a 17 KB body's
// overflow pages with it) on every UPDATE that changes its size, and a message's row is updated
// at each claim and each outcome. The body is written once and read where it is sent.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE message_bodies (uuid TEXT PRIMARY KEY, body BLOB NOT NULL)`.execute(db);
  await sql`INSERT INTO message_bodies (uuid, body) SELECT uuid, body FROM messages`.execute(db);
  await sql`ALTER TABLE messages DROP COLUMN body`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE messages ADD COLUMN body BLOB NOT NULL DEFAULT x''`.execute(db);
  await sql`UPDATE messages SET body = (SELECT body FROM message_bodies WHERE message_bodies.uuid = messages.uuid)`.execute(db);
  await sql`DROP TABLE message_bodies`.execute(db);
}
