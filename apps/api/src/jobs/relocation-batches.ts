import { randomToken } from "@postvej/core/ids";
import { RELOCATION_BATCH, RELOCATION_LEASE_MS } from "@postvej/core/relocation";
import { claimRunningRelocations, releaseRelocationClaim, type Database } from "@postvej/db";
import type { Kysely } from "kysely";
import { driveRelocation, type DriveReport } from "../relocation/run-batch.ts";

/** What one tick did to running relocations. */
export type RelocationBatchesReport = {
  relocations: number;
  batches: number;
  moved: number;
  skipped: number;
  finished: number;
  failed: number;
};

/**
 * Drives running relocations: claims them with a lease on the wall clock (so two ticks at once take
 * different jobs, and a jump of the simulated clock never makes a run in flight look lapsed), then runs at most `maxBatches` batches of `batchSize` in all, each its own transaction,
 * so one tick stays bounded and a stop between batches takes effect at once. A batch that fails
 * rolls back whole; its job keeps the lease and is tried again when the lease runs out, while the
 * rest of the tick goes on.
 */
export async function runRelocationBatches(o: {
  db: Kysely<Database>;
  now: Date;
  portalUrl: string | null;
  batchSize?: number;
  maxBatches?: number;
  leaseMs?: number;
  /** The wall clock the claims are leased on (a run in flight is real work); tests inject one. */
  wallClock?: () => number;
}): Promise<RelocationBatchesReport> {
  const now = o.now.toISOString();
  const token = randomToken(16);
  const maxBatches = o.maxBatches ?? 40;
  const wall = (o.wallClock ?? Date.now)();
  const claimed = await claimRunningRelocations(o.db, {
    leaseNow: new Date(wall).toISOString(),
    token,
    limit: 10,
    leaseUntil: new Date(wall + (o.leaseMs ?? RELOCATION_LEASE_MS)).toISOString(),
  });
  const report: RelocationBatchesReport = { relocations: claimed.length, batches: 0, moved: 0, skipped: 0, finished: 0, failed: 0 };
  for (const rel of claimed) {
    const drive: DriveReport = { moved: 0, skipped: 0, finished: false, batches: 0 };
    let failed = false;
    try {
      await driveRelocation(
        o.db,
        rel.id,
        now,
        { portalUrl: o.portalUrl, batchSize: o.batchSize ?? RELOCATION_BATCH, maxBatches: maxBatches - report.batches },
        drive,
      );
    } catch (err) {
      failed = true;
      console.error(`relocation ${rel.id}: a batch failed and was rolled back`, err);
    }
    report.batches += drive.batches;
    report.moved += drive.moved;
    report.skipped += drive.skipped;
    if (failed) {
      report.failed++;
      continue;
    }
    if (drive.finished) report.finished++;
    else await releaseRelocationClaim(o.db, rel.id, token);
  }
  return report;
}
