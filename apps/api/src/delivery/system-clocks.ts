import type { SystemClocks } from "@postvej/core/delivery";
import { undeliveredOn, type Db, type RecipientSystemsTable } from "@postvej/db";

const date = (s: string | null) => (s ? new Date(s) : null);

/** A system's clocks as the pure flow sees them, with its undelivered count. */
export async function systemClocks(db: Db, s: RecipientSystemsTable): Promise<SystemClocks & { undelivered: number }> {
  const u = await undeliveredOn(db, s.id);
  return {
    state: s.state, failingSince: date(s.failing_since), oldestUndeliveredAt: date(u.oldestFailedAt),
    warnedDay2At: date(s.warned_day2_at), warnedDay5At: date(s.warned_day5_at), undelivered: u.undelivered,
  };
}
