import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
// Receipts back to the sender (issue 12 §2). A sender key may register one receipt endpoint (its
// own whsec_ secret, sealed like a push system's). Every message outcome that makes a receipt —
// the event types packages/core/src/lifecycle/sender-receipt.ts lists as RECEIPT_EVENT_TYPES,
// written out here because a migration is frozen — gets a receipt row in the same statement as
// its event: the trigger runs inside whatever write appends the event (intake's batch, a push's
// outcome, a pull receipt, a reroute, a relocation batch, a recall), for messages sent with a
// sender key. `seq` orders the pull feed per key; `next_push_at` (domain time) is set when the key
// had an endpoint as the receipt was made; `claimed_until` is a wall-clock lease on a push in flight.
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    sql`CREATE TABLE receipt_endpoints (
      sender_key_id TEXT PRIMARY KEY REFERENCES api_keys(id),
      authority_cvr TEXT NOT NULL,
      url TEXT NOT NULL,
      signing_secret TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    sql`CREATE TABLE sender_receipts (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      sender_key_id TEXT NOT NULL,
      authority_cvr TEXT NOT NULL,
      message_uuid TEXT NOT NULL,
      event_id INTEGER NOT NULL UNIQUE,
      at TEXT NOT NULL,
      push_attempts INTEGER NOT NULL DEFAULT 0,
      next_push_at TEXT,
      pushed_at TEXT,
      push_gave_up_at TEXT,
      last_push_error TEXT,
      claim_token TEXT,
      claimed_until TEXT
    )`,
    sql`CREATE INDEX sender_receipts_feed ON sender_receipts(sender_key_id, seq)`,
    sql`CREATE INDEX sender_receipts_due ON sender_receipts(next_push_at) WHERE next_push_at IS NOT NULL`,
    sql`CREATE TRIGGER events_make_sender_receipts AFTER INSERT ON events
      WHEN NEW.message_uuid IS NOT NULL
        AND NEW.type IN ('delivered', 'receipt_rejected', 'landed_in_virk', 'relocated', 'recalled')
      BEGIN
        INSERT INTO sender_receipts (id, sender_key_id, authority_cvr, message_uuid, event_id, at, next_push_at)
        SELECT 'rct_' || lower(hex(randomblob(10))), m.sender_key_id, NEW.authority_cvr, NEW.message_uuid, NEW.id, NEW.at,
          CASE WHEN EXISTS (SELECT 1 FROM receipt_endpoints e WHERE e.sender_key_id = m.sender_key_id) THEN NEW.at END
        FROM messages m JOIN api_keys k ON k.id = m.sender_key_id AND k.role = 'sender'
        WHERE m.uuid = NEW.message_uuid;
      END`,
  ]) {
    await statement.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    sql`DROP TRIGGER IF EXISTS events_make_sender_receipts`,
    sql`DROP TABLE IF EXISTS sender_receipts`,
    sql`DROP TABLE IF EXISTS receipt_endpoints`,
  ]) {
    await statement.execute(db);
  }
}
