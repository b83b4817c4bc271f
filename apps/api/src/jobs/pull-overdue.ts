import { appendEvents, inTransaction, waitingSince, type Database, type NewEvent } from "@postvej/db";
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
  const systems = await db.selectFrom("recipient_systems").select(["id"]).where("protocol", "=", "REST_PULL").where("state", "=", "active").execute();
  let overdue = 0;
  for (const { id } of systems) {
    overdue += await inTransaction(db, async (tx) => {
      const rows = (await waitingSince(tx, id, cutoff, limit)).filter((m) => m.release_at === null || m.release_at <= cutoff);
      const events: NewEvent[] = [];
      for (const m of rows) {
        const error = m.claimed_until ? "fetched_without_receipt" : "not_fetched";
        await tx.updateTable("messages").set({ first_failed_at: at, attempt_count: m.attempt_count + 1, last_attempt_at: at }).where("uuid", "=", m.uuid).where("first_failed_at", "is", null).execute();
        await tx.insertInto("attempts").values({ message_uuid: m.uuid, recipient_system_id: id, attempt_no: m.attempt_count + 1, at, outcome: "failed", status_code: null, error, duration_ms: 0 }).execute();
        events.push({ authorityCvr: m.authority_cvr, at, type: "attempt_failed", messageUuid: m.uuid, recipientSystemId: id, data: { error } });
      }
      if (rows.length > 0) {
        await tx.updateTable("recipient_systems")
          .set((e) => ({ failing_since: e.fn.coalesce("failing_since", e.val(at)), episode_started_at: e.fn.coalesce("episode_started_at", e.val(at)) }))
          .where("id", "=", id).execute();
      }
      await appendEvents(tx, events);
      return rows.length;
    });
  }
  return { overdue };
}
