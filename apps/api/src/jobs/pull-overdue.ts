import {
  appendEvents, inTransaction, insertAttempts, listActivePullSystems, markFirstFailure, startFailureClocks, waitingSince, type Database, type NewEvent,
} from "@postvej/db";
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
  const systems = await listActivePullSystems(db);
  let overdue = 0;
  for (const { id } of systems) {
    overdue += await inTransaction(db, async (tx) => {
      const rows = (await waitingSince(tx, id, cutoff, limit)).filter((m) => m.release_at === null || m.release_at <= cutoff);
      const events: NewEvent[] = [];
      for (const m of rows) {
        const error = m.claimed_until ? "fetched_without_receipt" : "not_fetched";
        await markFirstFailure(tx, m.uuid, m.attempt_count + 1, at);
        await insertAttempts(tx, [{ message_uuid: m.uuid, recipient_system_id: id, attempt_no: m.attempt_count + 1, at, outcome: "failed", status_code: null, error, duration_ms: 0 }]);
        events.push({ authorityCvr: m.authority_cvr, at, type: "attempt_failed", messageUuid: m.uuid, recipientSystemId: id, data: { error } });
      }
      if (rows.length > 0) await startFailureClocks(tx, id, at);
      await appendEvents(tx, events);
      return rows.length;
    });
  }
  return { overdue };
}
