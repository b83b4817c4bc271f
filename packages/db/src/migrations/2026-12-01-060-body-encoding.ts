import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
// A body may be stored deflated (raw DEFLATE, RFC 1951): MeMo XML shrinks about 4×, which a remote
// database (sqld, Turso) carries over HTTP at every write and read. Every row stored before keeps
// its bytes as they are (`identity`); nothing rewrites them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE message_bodies ADD COLUMN encoding TEXT NOT NULL DEFAULT 'identity' CHECK (encoding IN ('identity', 'deflate-raw'))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  // Deflated bodies cannot be inflated in SQL: going back would leave them unreadable to the old code.
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM message_bodies WHERE encoding <> 'identity'`.execute(db);
  if (Number(r.rows[0]?.n ?? 0) > 0) throw new Error("message_bodies holds deflated bodies: the old code cannot read them");
  await sql`ALTER TABLE message_bodies DROP COLUMN encoding`.execute(db);
}
