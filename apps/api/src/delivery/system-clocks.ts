import type { SystemClocks } from "@postvej/core/delivery";
import { oldestFailureOn, type Db, type RecipientSystemsTable } from "@postvej/db";

const date = (s: string | null) => (s ? new Date(s) : null);

/** A system's clocks as the pure flow sees them (index seeks only: this runs every tick). */
export async function systemClocks(db: Db, s: RecipientSystemsTable): Promise<SystemClocks> {
  return {
    state: s.state,
    failingSince: date(s.failing_since),
    oldestUndeliveredAt: date(await oldestFailureOn(db, s.id)),
    warnedDay2At: date(s.warned_day2_at),
    warnedDay5At: date(s.warned_day5_at),
  };
}
