import { type Kysely, sql } from "kysely";

// Frozen: this migration never imports application code.
// API keys get an expiry and a last-use time (both wall-clock times, like revoked_at), and a list
// index per authority; a push system keeps its previous signing secret while a rotation's grace
// period lasts (previous_secret_valid_until, wall clock).
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    sql`ALTER TABLE api_keys ADD COLUMN expires_at TEXT`,
    sql`ALTER TABLE api_keys ADD COLUMN last_used_at TEXT`,
    sql`CREATE INDEX api_keys_authority ON api_keys(authority_cvr, created_at, id)`,
    sql`ALTER TABLE recipient_systems ADD COLUMN previous_signing_secret TEXT`,
    sql`ALTER TABLE recipient_systems ADD COLUMN previous_secret_valid_until TEXT`,
  ]) {
    await statement.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    sql`ALTER TABLE recipient_systems DROP COLUMN previous_secret_valid_until`,
    sql`ALTER TABLE recipient_systems DROP COLUMN previous_signing_secret`,
    sql`DROP INDEX IF EXISTS api_keys_authority`,
    sql`ALTER TABLE api_keys DROP COLUMN last_used_at`,
    sql`ALTER TABLE api_keys DROP COLUMN expires_at`,
  ]) {
    await statement.execute(db);
  }
}
