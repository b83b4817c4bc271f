import { newId, randomToken, sha256Hex } from "@postvej/core/ids";
import { insertPortalSession, type Db } from "@postvej/db";
import type { Capability } from "../auth.ts";

/** Mints a portal token for the widgets (stored hashed, shown once) and returns it with its expiry. */
export async function mintPortalSession(
  db: Db,
  o: { cvr: string; capabilities: readonly Capability[]; userName: string; createdByKeyId: string; now: Date; ttlSeconds: number },
): Promise<{ token: string; expiresAt: string; capabilities: Capability[] }> {
  const token = `pvp_${randomToken(40)}`;
  const expiresAt = new Date(o.now.getTime() + o.ttlSeconds * 1000).toISOString();
  const capabilities = [...new Set(o.capabilities)];
  await insertPortalSession(db, {
    id: newId("portalSession"),
    authority_cvr: o.cvr,
    token_hash: await sha256Hex(token),
    capabilities: JSON.stringify(capabilities),
    user_name: o.userName,
    created_by_key_id: o.createdByKeyId,
    created_at: o.now.toISOString(),
    expires_at: expiresAt,
  });
  return { token, expiresAt, capabilities };
}
