import type { Db } from "./db-handle.ts";

/** A relocation request's identity: what it selects, where to, and whether original contact points win. */
export type RelocationRequestKey = { selection: unknown; targetContactPointId: string | null; preferOriginal: boolean };

/**
 * The authority's latest relocation made with this very request (the selection as stored, the
 * target, `preferOriginal`): its id, state and creation time, or undefined. Read it in the
 * transaction that would create the next one, so two identical requests see each other.
 */
export async function latestIdenticalRelocation(
  db: Db,
  cvr: string,
  r: RelocationRequestKey,
): Promise<{ id: string; state: "running" | "finished" | "stopped"; createdAt: string } | undefined> {
  const row = await db
    .selectFrom("relocations")
    .select(["id", "state", "created_at"])
    .where("authority_cvr", "=", cvr)
    .where("selection", "=", JSON.stringify(r.selection))
    .where("target_contact_point_id", "is", r.targetContactPointId)
    .where("prefer_original", "=", r.preferOriginal ? 1 : 0)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, state: row.state, createdAt: row.created_at } : undefined;
}
