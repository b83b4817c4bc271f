import { afterFailed, isFetched, isPullOverdue, pullOverdue, pullOverdueCutoff } from "@postvej/core/lifecycle";
import {
  appendEvents,
  inTransaction,
  insertAttempts,
  listActivePullSystems,
  markFirstFailure,
  waitingSince,
  writeSystemClocks,
  type Database,
  type NewEvent,
} from "@postvej/db";
import type { Kysely } from "kysely";

/**
 * A pull system's failures: a waiting message nobody receipted within the grace period is a
 * failed attempt (once, the lifecycle's `pullOverdue`), which starts the system's clocks just as a failed push does.
 */
export async function markPullOverdue(db: Kysely<Database>, now: Date, limit = 1000): Promise<{ overdue: number }> {
  const at = now.toISOString();
  const cutoff = pullOverdueCutoff(now);
  const systems = await listActivePullSystems(db);
  let overdue = 0;
  for (const { id } of systems) {
    overdue += await inTransaction(db, async (tx) => {
      const rows = (await waitingSince(tx, id, cutoff, limit)).filter((m) => isPullOverdue({ releaseAt: m.release_at }, cutoff));
      const events: NewEvent[] = [];
      for (const m of rows) {
        const t = pullOverdue({ attemptCount: m.attempt_count, fetched: isFetched({ claimedUntil: m.claimed_until }) }, now);
        await markFirstFailure(tx, m.uuid, t.next);
        await insertAttempts(tx, [{ ...t.attempt, messageUuid: m.uuid, recipientSystemId: id }]);
        events.push({
          authorityCvr: m.authority_cvr,
          at,
          type: t.event,
          messageUuid: m.uuid,
          recipientSystemId: id,
          data: { error: t.attempt.error },
        });
      }
      if (rows.length > 0) await writeSystemClocks(tx, id, afterFailed(now));
      await appendEvents(tx, events);
      return rows.length;
    });
  }
  return { overdue };
}
