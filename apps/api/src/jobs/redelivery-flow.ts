import { episodeTimeline } from "@postvej/core/delivery";
import { evaluate } from "@postvej/core/lifecycle";
import {
  appendEvents,
  endEpisodeIfNothingFails,
  failedSince,
  findActiveSystem,
  inTransaction,
  listDeactivatedSystems,
  listSystemsInEpisode,
  markSystemWarned,
  undeliveredCount,
  undeliveredMessages,
  type Database,
} from "@postvej/db";
import type { Kysely } from "kysely";
import { deactivateSystem, noticeBase, notifyContacts } from "../delivery/deactivate.ts";
import { rerouteMessages } from "../delivery/reroute.ts";
import { systemClocks } from "../delivery/system-clocks.ts";

/** What the redelivery flow did in one run. */
export type FlowReport = { warned: number; deactivated: number; movedOn: number; episodesEnded: number; rescued?: number };

/**
 * The redelivery flow (gensendelsesflow) for every system in a failure episode, as the system
 * lifecycle's `evaluate` decides it: day-2 and day-5 warnings (once per episode, guarded in the
 * same transaction as their e-mail), day-7 deactivation with post moved on, seven-day-old failures
 * moved on from active systems, and the end of finished episodes.
 * Idempotent: two runs at once change nothing twice.
 */
export async function runRedeliveryFlow(db: Kysely<Database>, now: Date, portalUrl: string | null, leaseNow: Date): Promise<FlowReport> {
  const report: FlowReport = { warned: 0, deactivated: 0, movedOn: 0, episodesEnded: 0 };
  const at = now.toISOString();
  const systems = await listSystemsInEpisode(db);
  for (const { id } of systems) {
    await inTransaction(db, async (tx) => {
      const s = await findActiveSystem(tx, id);
      if (!s) return;
      const clocks = await systemClocks(tx, s);
      const e = evaluate({ id: s.id, episodeStartedAt: s.episode_started_at, failingSince: s.failing_since }, clocks, now);
      if (e.deactivate) {
        if (await deactivateSystem(tx, s, e.deactivate.reason, at, portalUrl, leaseNow.toISOString())) report.deactivated++;
        return;
      }
      for (const { day, dedupeKey } of e.warn) {
        if (!(await markSystemWarned(tx, s.id, day, at))) continue;
        const undelivered = await undeliveredCount(tx, s.id);
        await notifyContacts(
          tx,
          s,
          {
            ...(await noticeBase(tx, s, portalUrl)),
            template: day === 2 ? "warning_day2" : "warning_day5",
            systemName: s.name,
            undeliveredCount: undelivered,
            oldestFailedAt: clocks.oldestUndeliveredAt!.toISOString(),
            deactivationAt: (episodeTimeline(clocks)?.day7At ?? now).toISOString(),
          },
          dedupeKey,
          at,
        );
        await appendEvents(tx, [
          { authorityCvr: s.authority_cvr, at, type: "system_warned", recipientSystemId: s.id, data: { day, undelivered } },
        ]);
        report.warned++;
      }
      const stale = await failedSince(tx, s.id, e.moveOn.failedBefore, 5000);
      if (stale.length > 0)
        report.movedOn += (
          await rerouteMessages(
            tx,
            s,
            stale.map((m) => m.uuid),
            "failed_seven_days",
            at,
          )
        ).moved;
      // Nothing failing any more (or not once the stale post moved on): the episode ends, as it does after a delivery.
      if ((e.endEpisode || stale.length > 0) && (await endEpisodeIfNothingFails(tx, s.id))) report.episodesEnded++;
    });
  }
  report.rescued = await rescueOrphans(db, at, leaseNow.toISOString());
  return report;
}

/**
 * Post left with a deactivated custodian (routed there in the instant before it was deactivated)
 * moves on like the rest of that system's post, so no message waits on a system that never sends.
 */
async function rescueOrphans(db: Kysely<Database>, at: string, leaseNow: string): Promise<number> {
  const systems = await listDeactivatedSystems(db);
  let moved = 0;
  for (const s of systems) {
    const orphans = await undeliveredMessages(db, s.id, { limit: 500, leaseNow });
    if (orphans.length === 0) continue;
    moved += await inTransaction(
      db,
      async (tx) =>
        (
          await rerouteMessages(
            tx,
            s,
            orphans.map((m) => m.uuid),
            "system_deactivated",
            at,
          )
        ).moved,
    );
  }
  return moved;
}
