import type { MessagesTable, RecipientSystemsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** A held message whose value date has come, with its custodian's protocol. */
export type DueHeldMessage = Pick<MessagesTable, "uuid" | "authority_cvr" | "custodian_kind" | "custodian_system_id"> & { protocol: RecipientSystemsTable["protocol"] | null };

/** Held messages released by `at` (value date passed), earliest first, at most `limit`. */
export function dueHeldMessages(db: Db, at: string, limit: number): Promise<DueHeldMessage[]> {
  return db.selectFrom("messages")
    .leftJoin("recipient_systems", "recipient_systems.id", "messages.custodian_system_id")
    .select(["messages.uuid", "messages.authority_cvr", "messages.custodian_kind", "messages.custodian_system_id", "recipient_systems.protocol"])
    .where("messages.state", "=", "held").where("messages.release_at", "<=", at)
    .orderBy("messages.release_at").limit(limit).execute();
}

/** Releases a message still held: it joins its queue (or Virk) at `at`, with its first push due at `nextAttemptAt`. */
export async function releaseHeldMessage(db: Db, uuid: string, o: { state: "queued" | "in_virk"; at: string; nextAttemptAt: string | null }): Promise<void> {
  await db.updateTable("messages").set({ state: o.state, queued_at: o.at, next_attempt_at: o.nextAttemptAt })
    .where("uuid", "=", uuid).where("state", "=", "held").execute();
}

/** Recalls a message while it is held; false when it is not held (any more). */
export async function recallHeldMessage(db: Db, uuid: string, at: string): Promise<boolean> {
  const r = await db.updateTable("messages").set({ state: "recalled", recalled_at: at, next_attempt_at: null })
    .where("uuid", "=", uuid).where("state", "=", "held").executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
