import type { QueueEntry, Recall } from "@postvej/core/lifecycle";
import type { MessagesTable, RecipientSystemsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** A held message whose value date has come, with its custodian's protocol. */
export type DueHeldMessage = Pick<MessagesTable, "uuid" | "authority_cvr" | "custodian_kind" | "custodian_system_id"> & {
  protocol: RecipientSystemsTable["protocol"] | null;
};

/** Held messages released by `at` (value date passed), earliest first, at most `limit`. */
export function dueHeldMessages(db: Db, at: string, limit: number): Promise<DueHeldMessage[]> {
  return db
    .selectFrom("messages")
    .leftJoin("recipient_systems", "recipient_systems.id", "messages.custodian_system_id")
    .select([
      "messages.uuid",
      "messages.authority_cvr",
      "messages.custodian_kind",
      "messages.custodian_system_id",
      "recipient_systems.protocol",
    ])
    .where("messages.state", "=", "held")
    .where("messages.release_at", "<=", at)
    .orderBy("messages.release_at")
    .limit(limit)
    .execute();
}

/** Releases a message still held: it enters its queue (or Virk) as the lifecycle's `release` says. */
export async function releaseHeldMessage(db: Db, uuid: string, e: QueueEntry): Promise<void> {
  await db
    .updateTable("messages")
    .set({ state: e.state, queued_at: e.queuedAt, next_attempt_at: e.nextAttemptAt })
    .where("uuid", "=", uuid)
    .where("state", "=", "held")
    .execute();
}

/** Recalls a message while it is held; false when it is not held (any more). */
export async function recallHeldMessage(db: Db, uuid: string, t: Recall): Promise<boolean> {
  const { next } = t;
  const r = await db
    .updateTable("messages")
    .set({ state: next.state, recalled_at: next.recalledAt, next_attempt_at: next.nextAttemptAt })
    .where("uuid", "=", uuid)
    .where("state", "=", t.guard)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
