import type { ApiKeysTable, PortalSessionsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** Stores a new API key (its hash only). */
export async function insertApiKey(db: Db, row: ApiKeysTable): Promise<void> {
  await db.insertInto("api_keys").values(row).execute();
}

/** The key with this hash, revoked or expired alike (the caller says why it no longer counts), or undefined. */
export function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeysTable | undefined> {
  return db.selectFrom("api_keys").selectAll().where("key_hash", "=", keyHash).executeTakeFirst();
}

/** An API key as listed: everything but its hash. */
export type ApiKeyRow = Omit<ApiKeysTable, "key_hash">;

const LISTED = [
  "id",
  "authority_cvr",
  "role",
  "recipient_system_id",
  "label",
  "created_at",
  "revoked_at",
  "expires_at",
  "last_used_at",
] as const;

/** An authority's key by id, or undefined (another authority's looks missing). */
export function findApiKey(db: Db, cvr: string, id: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom("api_keys").select(LISTED).where("authority_cvr", "=", cvr).where("id", "=", id).executeTakeFirst();
}

/** An authority's keys, oldest first, paged by (created_at, id). */
export function listApiKeys(db: Db, cvr: string, opts: { limit: number; after?: { createdAt: string; id: string } }): Promise<ApiKeyRow[]> {
  let q = db.selectFrom("api_keys").select(LISTED).where("authority_cvr", "=", cvr);
  const after = opts.after;
  if (after)
    q = q.where((e) =>
      e.or([e("created_at", ">", after.createdAt), e.and([e("created_at", "=", after.createdAt), e("id", ">", after.id)])]),
    );
  return q.orderBy("created_at").orderBy("id").limit(opts.limit).execute();
}

/** Revokes an authority's key at `at` unless it is revoked already; true when this call revoked it. */
export async function revokeApiKey(db: Db, cvr: string, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable("api_keys")
    .set({ revoked_at: at })
    .where("authority_cvr", "=", cvr)
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Revokes at `at` an authority's active keys that carry one of `labels`; how many it revoked. */
export async function revokeApiKeysLabelled(db: Db, cvr: string, labels: readonly string[], at: string): Promise<number> {
  if (labels.length === 0) return 0;
  const r = await db
    .updateTable("api_keys")
    .set({ revoked_at: at })
    .where("authority_cvr", "=", cvr)
    .where("label", "in", labels)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Records a use of the key at `at`, unless one at or after `notBefore` is recorded already (so uses write rarely). */
export async function touchApiKey(db: Db, id: string, at: string, notBefore: string): Promise<void> {
  await db
    .updateTable("api_keys")
    .set({ last_used_at: at })
    .where("id", "=", id)
    .where((e) => e.or([e("last_used_at", "is", null), e("last_used_at", "<", notBefore)]))
    .execute();
}

/** Stores a new portal session (its token hash only). */
export async function insertPortalSession(db: Db, row: PortalSessionsTable): Promise<void> {
  await db.insertInto("portal_sessions").values(row).execute();
}

/** The portal session with this token hash that is still valid at `now`, or undefined. */
export function findPortalSession(db: Db, tokenHash: string, now: string): Promise<PortalSessionsTable | undefined> {
  return db.selectFrom("portal_sessions").selectAll().where("token_hash", "=", tokenHash).where("expires_at", ">", now).executeTakeFirst();
}
