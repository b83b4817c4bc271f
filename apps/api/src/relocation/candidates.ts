import type { CandidateContactPoint, IneligibleReason } from "@postvej/core/relocation";
import { targetIneligibility } from "@postvej/core/relocation";
import { listContactPointsWithSystems, type Db } from "@postvej/db";

/** A contact point of the authority with its system, as the relocation paths show and plan with. */
export type TargetInfo = CandidateContactPoint & {
  name: string;
  systemName: string;
  push: boolean;
  reason: IneligibleReason | null;
};

/** Every contact point of the authority with its recipient system and whether it can take post now. */
export async function loadTargets(db: Db, cvr: string): Promise<Map<string, TargetInfo>> {
  const rows = await listContactPointsWithSystems(db, cvr);
  return new Map(
    rows.map((r) => {
      const c: CandidateContactPoint = {
        id: r.id,
        recipientSystemId: r.systemId,
        visible: r.visible === 1,
        active: r.active === 1,
        systemState: r.state,
      };
      return [r.id, { ...c, name: r.name, systemName: r.systemName, push: r.protocol === "REST_PUSH", reason: targetIneligibility(c) }];
    }),
  );
}
