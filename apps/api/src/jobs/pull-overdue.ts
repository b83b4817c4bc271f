import { appendEvents, inTransaction, type Database, type NewEvent } from "@postvej/db";
import type { Kysely } from "kysely";

/** How long a pull system has to fetch and receipt a waiting message before it counts as a failure. */
export const PULL_GRACE_MS = 60 * 60_000;

/**
 * A pull system's failures: a waiting message nobody receipted within the grace period is a
 * failed attempt (once), which starts the system's clocks just as a failed push does.
 */
export async function markPullOverdue(db: Kysely<Database>, now: Date, limit = 1000): Promise<{ overdue: number }> {
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - PULL_GRACE_MS).toISOString();
  return inTransaction(db, async (tx) => {
    const rows = await tx.selectFrom("messages")
      .innerJoin("recipient_systems", "recipient_systems.id", "messages.custodian_system_id")
      .select(["messages.uuid", "messages.authority_cvr", "messages.custodian_system_id", "messages.attempt_count", "messages.claimed_until"])
      .where("recipient_systems.protocol", "=", "REST_PULL").where("recipient_systems.state", "=", "active")
      .where("messages.state", "=", "queued").where("messages.first_failed_at", "is", null)
      .where("messages.received_at", "<=", cutoff).where("messages.custodian_system_id", "is not", null)
      .where((e) => e.or([e("messages.release_at", "is", null), e("messages.release_at", "<=", cutoff)]))
      .limit(limit).execute();
    const events: NewEvent[] = [];
    for (const m of rows) {
      const error = m.claimed_until ? "fetched_without_receipt" : "not_fetched";
      await tx.updateTable("messages").set({ first_failed_at: at, attempt_count: m.attempt_count + 1, last_attempt_at: at }).where("uuid", "=", m.uuid).where("first_failed_at", "is", null).execute();
      await tx.insertInto("attempts").values({ message_uuid: m.uuid, recipient_system_id: m.custodian_system_id!, attempt_no: m.attempt_count + 1, at, outcome: "failed", status_code: null, error, duration_ms: 0 }).execute();
      await tx.updateTable("recipient_systems")
        .set((e) => ({ failing_since: e.fn.coalesce("failing_since", e.val(at)), episode_started_at: e.fn.coalesce("episode_started_at", e.val(at)) }))
        .where("id", "=", m.custodian_system_id!).execute();
      events.push({ authorityCvr: m.authority_cvr, at, type: "attempt_failed", messageUuid: m.uuid, recipientSystemId: m.custodian_system_id, data: { error } });
    }
    await appendEvents(tx, events);
    return { overdue: rows.length };
  });
}
