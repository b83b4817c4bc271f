import type { ApiKeysTable, PortalSessionsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** Stores a new API key (its hash only). */
export async function insertApiKey(db: Db, row: ApiKeysTable): Promise<void> {
  await db.insertInto("api_keys").values(row).execute();
}

/** The unrevoked key with this hash, or undefined. */
export function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeysTable | undefined> {
  return db.selectFrom("api_keys").selectAll().where("key_hash", "=", keyHash).where("revoked_at", "is", null).executeTakeFirst();
}

/** Stores a new portal session (its token hash only). */
export async function insertPortalSession(db: Db, row: PortalSessionsTable): Promise<void> {
  await db.insertInto("portal_sessions").values(row).execute();
}

/** The portal session with this token hash that is still valid at `now`, or undefined. */
export function findPortalSession(db: Db, tokenHash: string, now: string): Promise<PortalSessionsTable | undefined> {
  return db.selectFrom("portal_sessions").selectAll().where("token_hash", "=", tokenHash).where("expires_at", ">", now).executeTakeFirst();
}
