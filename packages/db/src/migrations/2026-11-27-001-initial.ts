import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`CREATE TABLE authorities (
      cvr TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL)`,
    sql`CREATE TABLE api_keys (
      id TEXT PRIMARY KEY, authority_cvr TEXT NOT NULL REFERENCES authorities(cvr),
      role TEXT NOT NULL, recipient_system_id TEXT, label TEXT NOT NULL,
      key_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT)`,
    sql`CREATE TABLE portal_sessions (
      id TEXT PRIMARY KEY, authority_cvr TEXT NOT NULL REFERENCES authorities(cvr),
      token_hash TEXT NOT NULL UNIQUE, capabilities TEXT NOT NULL, user_name TEXT NOT NULL,
      created_by_key_id TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL)`,
    sql`CREATE TABLE recipient_systems (
      id TEXT PRIMARY KEY, authority_cvr TEXT NOT NULL REFERENCES authorities(cvr),
      name TEXT NOT NULL, protocol TEXT NOT NULL, endpoint TEXT, signing_secret TEXT,
      technical_contact_name TEXT NOT NULL, technical_contact_email TEXT NOT NULL,
      technical_contact_phone TEXT, business_contact_email TEXT NOT NULL,
      memo_version TEXT NOT NULL DEFAULT '1.1', is_primary INTEGER NOT NULL DEFAULT 0,
      state TEXT NOT NULL DEFAULT 'active', deactivated_at TEXT, deactivation_reason TEXT,
      last_delivered_at TEXT, failing_since TEXT, episode_started_at TEXT,
      warned_day2_at TEXT, warned_day5_at TEXT,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
    sql`CREATE UNIQUE INDEX recipient_systems_one_primary ON recipient_systems(authority_cvr) WHERE is_primary = 1`,
    sql`CREATE INDEX recipient_systems_failing ON recipient_systems(failing_since) WHERE failing_since IS NOT NULL`,
    sql`CREATE TABLE contact_points (
      id TEXT PRIMARY KEY, authority_cvr TEXT NOT NULL REFERENCES authorities(cvr),
      name TEXT NOT NULL, recipient_system_id TEXT NOT NULL REFERENCES recipient_systems(id),
      visible INTEGER NOT NULL, audiences TEXT NOT NULL, max_size_mb REAL, max_attachments INTEGER,
      active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
    sql`CREATE INDEX contact_points_authority ON contact_points(authority_cvr)`,
    sql`CREATE TABLE messages (
      uuid TEXT PRIMARY KEY, authority_cvr TEXT NOT NULL REFERENCES authorities(cvr),
      sender_key_id TEXT, sender_id TEXT, label TEXT, memo_version TEXT NOT NULL,
      body BLOB NOT NULL, body_sha256 TEXT NOT NULL, size_bytes INTEGER NOT NULL,
      attachment_count INTEGER NOT NULL, original_contact_point_id TEXT,
      route_reason TEXT NOT NULL, route_contact_point_id TEXT,
      custodian_kind TEXT NOT NULL, custodian_system_id TEXT, state TEXT NOT NULL,
      received_at TEXT NOT NULL, release_at TEXT, next_attempt_at TEXT,
      attempt_count INTEGER NOT NULL DEFAULT 0, first_failed_at TEXT, last_attempt_at TEXT,
      claim_token TEXT, claimed_until TEXT, delivered_at TEXT,
      receipt_status TEXT, receipt_error TEXT, recalled_at TEXT)`,
    // Due work is found through these partial indexes, never a scan.
    sql`CREATE INDEX messages_due ON messages(next_attempt_at) WHERE state = 'queued' AND next_attempt_at IS NOT NULL`,
    sql`CREATE INDEX messages_held ON messages(release_at) WHERE state = 'held'`,
    sql`CREATE INDEX messages_custodian ON messages(custodian_system_id, state, received_at)`,
    sql`CREATE INDEX messages_failing ON messages(custodian_system_id, first_failed_at) WHERE state = 'queued' AND first_failed_at IS NOT NULL`,
    sql`CREATE INDEX messages_virk ON messages(authority_cvr, received_at, uuid) WHERE state = 'in_virk'`,
    sql`CREATE TABLE attempts (
      id INTEGER PRIMARY KEY AUTOINCREMENT, message_uuid TEXT NOT NULL,
      recipient_system_id TEXT NOT NULL, attempt_no INTEGER NOT NULL, at TEXT NOT NULL,
      outcome TEXT NOT NULL, status_code INTEGER, error TEXT, duration_ms INTEGER NOT NULL)`,
    sql`CREATE INDEX attempts_message ON attempts(message_uuid, id)`,
    sql`CREATE TABLE events (
      id INTEGER PRIMARY KEY AUTOINCREMENT, authority_cvr TEXT NOT NULL, at TEXT NOT NULL,
      type TEXT NOT NULL, message_uuid TEXT, recipient_system_id TEXT, data TEXT NOT NULL)`,
    sql`CREATE INDEX events_message ON events(message_uuid, id) WHERE message_uuid IS NOT NULL`,
    sql`CREATE INDEX events_authority ON events(authority_cvr, id)`,
    sql`CREATE TABLE outbox (
      id TEXT PRIMARY KEY, authority_cvr TEXT NOT NULL, recipient_system_id TEXT,
      template TEXT NOT NULL, lang TEXT NOT NULL, to_addresses TEXT NOT NULL,
      subject TEXT NOT NULL, body_text TEXT NOT NULL, dedupe_key TEXT NOT NULL UNIQUE,
      queued_at TEXT NOT NULL, sent_at TEXT, attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT NOT NULL, claim_token TEXT, claimed_until TEXT, last_error TEXT)`,
    sql`CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL`,
    sql`CREATE INDEX outbox_authority ON outbox(authority_cvr, queued_at)`,
    sql`CREATE TABLE relocations (
      id TEXT PRIMARY KEY, authority_cvr TEXT NOT NULL, actor_kind TEXT NOT NULL,
      actor_id TEXT NOT NULL, actor_name TEXT NOT NULL, created_at TEXT NOT NULL,
      selection TEXT NOT NULL, target_contact_point_id TEXT, prefer_original INTEGER NOT NULL,
      state TEXT NOT NULL, total INTEGER NOT NULL, moved INTEGER NOT NULL DEFAULT 0,
      skipped INTEGER NOT NULL DEFAULT 0, finished_at TEXT, claim_token TEXT, claimed_until TEXT)`,
    sql`CREATE INDEX relocations_authority ON relocations(authority_cvr, created_at)`,
    sql`CREATE INDEX relocations_running ON relocations(state) WHERE state = 'running'`,
    sql`CREATE TABLE relocation_items (
      id INTEGER PRIMARY KEY AUTOINCREMENT, relocation_id TEXT NOT NULL REFERENCES relocations(id),
      message_uuid TEXT NOT NULL, label TEXT, sender_id TEXT, received_at TEXT NOT NULL,
      from_contact_point_id TEXT, to_contact_point_id TEXT, to_recipient_system_id TEXT,
      outcome TEXT NOT NULL, reason TEXT, at TEXT)`,
    sql`CREATE INDEX relocation_items_relocation ON relocation_items(relocation_id, outcome, id)`,
    // A message is claimed by at most one running relocation at a time.
    sql`CREATE UNIQUE INDEX relocation_items_one_pending ON relocation_items(message_uuid) WHERE outcome = 'pending'`,
    sql`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "settings",
    "relocation_items",
    "relocations",
    "outbox",
    "events",
    "attempts",
    "messages",
    "contact_points",
    "recipient_systems",
    "portal_sessions",
    "api_keys",
    "authorities",
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
