import { relocate } from "@postvej/core/lifecycle";
import { planRelocation, RELOCATION_BATCH, summarizePlan } from "@postvej/core/relocation";
import {
  applyRelocationBatch,
  closeRelocation,
  getRelocation,
  inTransaction,
  pendingItems,
  relocationEvent,
  type BatchMove,
  type Database,
  type Db,
  type RelocationRow,
} from "@postvej/db";
import type { Kysely } from "kysely";
import { loadTargets } from "./candidates.ts";
import { queueRelocationReceipt } from "./receipt.ts";

/** What one batch did. */
export type BatchReport = { moved: number; skipped: number; finished: boolean };

/**
 * Moves the next batch of a running relocation in ONE transaction: re-plans its pending items
 * against the contact structure as it is now, moves them, and — when none are left — finishes
 * the relocation with its receipt e-mail and event in that same transaction. A relocation that is
 * no longer running (stopped meanwhile) is left alone.
 */
export async function runRelocationBatch(
  db: Kysely<Database>,
  id: string,
  at: string,
  o: { portalUrl: string | null; batchSize?: number },
): Promise<BatchReport> {
  const size = o.batchSize ?? RELOCATION_BATCH;
  return inTransaction(db, async (tx) => {
    const rel = await getRelocation(tx, id);
    if (!rel || rel.state !== "running") return { moved: 0, skipped: 0, finished: true };
    const items = await pendingItems(tx, id, size);
    let moved = 0;
    let skipped = 0;
    if (items.length > 0) {
      const targets = await loadTargets(tx, rel.authority_cvr);
      const plan = planRelocation({
        messages: items.map((i) => ({ uuid: i.message_uuid, originalContactPointId: i.from_contact_point_id })),
        candidates: [...targets.values()],
        targetContactPointId: rel.target_contact_point_id,
        preferOriginal: rel.prefer_original === 1,
      });
      const itemId = new Map(items.map((i) => [i.message_uuid, i.id]));
      const idOf = (uuid: string) => itemId.get(uuid)!;
      const summary = summarizePlan(plan);
      const moves: BatchMove[] = summary.moves.map((g) => ({
        contactPointId: g.contactPointId,
        systemId: g.systemId,
        move: relocate(targets.get(g.contactPointId)?.push ? "push" : "pull", new Date(at)),
        items: g.uuids.map((uuid) => ({ id: idOf(uuid), uuid })),
      }));
      const r = await applyRelocationBatch(tx, {
        relocationId: id,
        cvr: rel.authority_cvr,
        at,
        moves,
        skipped: summary.skipped.map((s) => ({ id: idOf(s.uuid), reason: s.reason })),
      });
      moved = r.moved;
      skipped = r.skipped;
    }
    const more = items.length === size && (await pendingItems(tx, id, 1)).length > 0;
    if (more) return { moved, skipped, finished: false };
    await finishRelocation(tx, rel, "finished", at, o.portalUrl);
    return { moved, skipped, finished: true };
  });
}

/**
 * Ends a running relocation (`finished`, or `stopped` with its pending items skipped) and, in the
 * same transaction, queues the receipt e-mail and logs the event. False when it was not running.
 */
export async function finishRelocation(
  tx: Db,
  rel: RelocationRow,
  state: "finished" | "stopped",
  at: string,
  portalUrl: string | null,
): Promise<boolean> {
  if (!(await closeRelocation(tx, rel.id, state, at))) return false;
  const now = await getRelocation(tx, rel.id);
  if (!now) throw new Error(`relocation ${rel.id} vanished while being closed`);
  await queueRelocationReceipt(tx, now, state, at, portalUrl);
  await relocationEvent(tx, rel.authority_cvr, at, state === "finished" ? "relocation_finished" : "relocation_stopped", {
    relocationId: rel.id,
    total: now.total,
    moved: now.moved,
    skipped: now.skipped,
  });
  return true;
}

/** What {@link driveRelocation} did: its batches' sums, kept when a later batch throws. */
export type DriveReport = BatchReport & { batches: number };

/**
 * Runs batches until the relocation finishes, or `maxBatches` have run; the inline path and the
 * job share it. It adds to `total` as it goes, so a batch that throws leaves the earlier ones counted.
 */
export async function driveRelocation(
  db: Kysely<Database>,
  id: string,
  at: string,
  o: { portalUrl: string | null; batchSize?: number; maxBatches: number },
  total: DriveReport = { moved: 0, skipped: 0, finished: false, batches: 0 },
): Promise<DriveReport> {
  for (let i = 0; i < o.maxBatches && !total.finished; i++) {
    const r = await runRelocationBatch(db, id, at, o);
    total.batches++;
    total.moved += r.moved;
    total.skipped += r.skipped;
    total.finished = r.finished;
  }
  return total;
}
