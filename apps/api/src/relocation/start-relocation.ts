import { newId } from "@postvej/core/ids";
import { isRepeatRelocation, planRelocation, SKIP_REASON, summarizePlan, type SkipReason } from "@postvej/core/relocation";
import {
  addRelocationCounts,
  claimRelocationItems,
  inTransaction,
  insertRelocation,
  insertSkippedItems,
  latestIdenticalRelocation,
  pendingElsewhere,
  relocationEvent,
  selectVirkForPlan,
  type Database,
  type Db,
  type VirkFilter,
} from "@postvej/db";
import type { Kysely } from "kysely";
import { ApiError } from "../errors.ts";
import { loadTargets, type TargetInfo } from "./candidates.ts";
import { selectionFilter, type Selection } from "./selection.ts";

/** A relocation request after validation. */
export type RelocationRequest = { selection: Selection; targetContactPointId: string | null; preferOriginal: boolean };

/** The dry-run answer: what would go where, and what would stay and why. */
export type DryRunPlan = {
  dryRun: true;
  total: number;
  moves: { contactPointId: string; contactPointName: string; recipientSystemId: string; recipientSystemName: string; count: number }[];
  skipped: { messageUUID: string; reason: SkipReason }[];
};

/**
 * Checks the request against the authority's contact structure: the target (when given) must be
 * its visible, active contact point with an active system — unknown and another authority's look
 * the same — and without `preferOriginal` a target is required. 422 otherwise.
 */
export async function checkRequest(
  db: Db,
  cvr: string,
  r: RelocationRequest,
): Promise<{ filter: VirkFilter; uuids: string[] | null; targets: Map<string, TargetInfo> }> {
  const { filter, uuids } = selectionFilter(r.selection);
  const targets = await loadTargets(db, cvr);
  if (r.targetContactPointId === null) {
    if (!r.preferOriginal) {
      throw new ApiError(422, "target_required", "choose a targetContactPointId, or set preferOriginal", [
        { path: "targetContactPointId", code: "required", message: "a target is required unless preferOriginal is true" },
      ]);
    }
  } else {
    const t = targets.get(r.targetContactPointId);
    const reason = t ? t.reason : "unknown";
    if (reason !== null) {
      throw new ApiError(422, "target_not_eligible", `contact point ${r.targetContactPointId} cannot take post: ${reason}`, [
        { path: "targetContactPointId", code: reason, message: REASON_TEXT[reason] },
      ]);
    }
  }
  return { filter, uuids, targets };
}

const REASON_TEXT = {
  unknown: "no such contact point of this authority",
  invisible: "the contact point is not visible",
  inactive: "the contact point is not active",
  system_deactivated: "the contact point's recipient system is deactivated",
} as const;

/** Plans without moving anything; the same rules and skip reasons as the real run. */
export async function dryRun(db: Kysely<Database>, cvr: string, r: RelocationRequest): Promise<DryRunPlan> {
  const { filter, uuids, targets } = await checkRequest(db, cvr, r);
  const selected = await selectVirkForPlan(db, cvr, filter);
  const found = new Set(selected.map((m) => m.uuid));
  const busy = await pendingElsewhere(
    db,
    selected.map((m) => m.uuid),
  );
  const plan = planRelocation({
    messages: selected.filter((m) => !busy.has(m.uuid)).map((m) => ({ uuid: m.uuid, originalContactPointId: m.original_contact_point_id })),
    candidates: [...targets.values()],
    targetContactPointId: r.targetContactPointId,
    preferOriginal: r.preferOriginal,
  });
  const summary = summarizePlan(plan);
  const skipped = [
    ...(uuids ?? []).filter((u) => !found.has(u)).map((u) => ({ messageUUID: u, reason: SKIP_REASON.notInVirk as SkipReason })),
    ...selected.filter((m) => busy.has(m.uuid)).map((m) => ({ messageUUID: m.uuid, reason: SKIP_REASON.alreadyMoving as SkipReason })),
    ...summary.skipped.map((s) => ({ messageUUID: s.uuid, reason: s.reason })),
  ];
  return {
    dryRun: true,
    total: uuids ? uuids.length : selected.length,
    moves: summary.moves.map((g) => {
      const t = targets.get(g.contactPointId);
      return {
        contactPointId: g.contactPointId,
        contactPointName: t?.name ?? "",
        recipientSystemId: g.systemId,
        recipientSystemName: t?.systemName ?? "",
        count: g.count,
      };
    }),
    skipped,
  };
}

/**
 * Creates the relocation and claims its messages in one transaction: UUIDs not in the Virk
 * mailbox become `not_in_virk`, messages another running relocation holds become `already_moving`,
 * the rest `pending`. Moving happens after, in batches. An identical request while the earlier
 * one runs, or within a minute of it with nothing left in Virk to move (core's `isRepeatRelocation`), creates nothing: `repeat`, the earlier's id.
 * With `claim` the new relocation is held by its creator from the start, as a job run holds one.
 */
export async function createRelocation(
  db: Kysely<Database>,
  cvr: string,
  r: RelocationRequest,
  actor: { kind: "api_key" | "portal_user"; id: string; name: string },
  at: string,
  claim?: { token: string; until: string },
): Promise<{ id: string; pending: number; repeat: boolean }> {
  const { filter, uuids } = await checkRequest(db, cvr, r);
  const id = newId("relocation");
  return inTransaction(db, async (tx) => {
    // A write transaction: two identical requests at once take turns, and the second sees the first.
    const earlier = await latestIdenticalRelocation(tx, cvr, r);
    // A finished one is repeated only while its selection finds nothing left in Virk.
    const leftInVirk = earlier?.state === "finished" && (await selectVirkForPlan(tx, cvr, filter)).length > 0;
    if (isRepeatRelocation(earlier, new Date(at), leftInVirk)) return { id: earlier!.id, pending: 0, repeat: true };
    await insertRelocation(tx, {
      id,
      authorityCvr: cvr,
      actor,
      createdAt: at,
      selection: r.selection,
      targetContactPointId: r.targetContactPointId,
      preferOriginal: r.preferOriginal,
      ...(claim ? { claim } : {}),
    });
    let notInVirk = 0;
    if (uuids) {
      const found = new Set((await selectVirkForPlan(tx, cvr, filter)).map((m) => m.uuid));
      const missing = uuids.filter((u) => !found.has(u));
      await insertSkippedItems(
        tx,
        id,
        missing.map((uuid) => ({ uuid, reason: SKIP_REASON.notInVirk })),
        at,
      );
      notInVirk = missing.length;
    }
    const c = await claimRelocationItems(tx, { relocationId: id, cvr, filter, at });
    const total = notInVirk + c.alreadyMoving + c.pending;
    await addRelocationCounts(tx, id, { total, skipped: notInVirk + c.alreadyMoving });
    await relocationEvent(tx, cvr, at, "relocation_started", {
      relocationId: id,
      total,
      targetContactPointId: r.targetContactPointId,
      preferOriginal: r.preferOriginal,
      by: actor.name,
    });
    return { id, pending: c.pending, repeat: false };
  });
}
