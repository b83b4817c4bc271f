import type { CandidateContactPoint, IneligibleReason } from "@postvej/core/relocation";
import { targetIneligibility } from "@postvej/core/relocation";
import type { Db } from "@postvej/db";

/** A contact point of the authority with its system, as the relocation paths show and plan with. */
export type TargetInfo = CandidateContactPoint & {
  name: string;
  systemName: string;
  push: boolean;
  reason: IneligibleReason | null;
};

/** Every contact point of the authority with its recipient system and whether it can take post now. */
export async function loadTargets(db: Db, cvr: string): Promise<Map<string, TargetInfo>> {
  const rows = await db.selectFrom("contact_points as cp")
    .innerJoin("recipient_systems as s", (j) => j.onRef("s.id", "=", "cp.recipient_system_id").onRef("s.authority_cvr", "=", "cp.authority_cvr"))
    .select(["cp.id", "cp.name", "cp.visible", "cp.active", "s.id as systemId", "s.name as systemName", "s.state", "s.protocol"])
    .where("cp.authority_cvr", "=", cvr)
    .orderBy("cp.name").orderBy("cp.id")
    .execute();
  return new Map(rows.map((r) => {
    const c: CandidateContactPoint = { id: r.id, recipientSystemId: r.systemId, visible: r.visible === 1, active: r.active === 1, systemState: r.state };
    return [r.id, { ...c, name: r.name, systemName: r.systemName, push: r.protocol === "REST_PUSH", reason: targetIneligibility(c) }];
  }));
}
