import { SKIP_REASON, type SkipReason } from "./skip-reason.ts";
import { targetIneligibility, type CandidateContactPoint, type IneligibleReason } from "./target-eligibility.ts";

/** A selected message as the planner needs it. */
export type PlanMessage = { uuid: string; originalContactPointId: string | null };

/** Where one message goes: a contact point and its recipient system. */
export type Destination = { contactPointId: string; systemId: string };

/** The planner's answer for one message. */
export type PlannedMove = { uuid: string; to: Destination } | { uuid: string; skipped: SkipReason };

/** Everything a plan depends on. */
export type PlanInput = {
  messages: readonly PlanMessage[];
  /** The authority's contact points with their systems (others' are simply absent). */
  candidates: readonly CandidateContactPoint[];
  targetContactPointId: string | null;
  preferOriginal: boolean;
};

const TARGET_REASON: Record<IneligibleReason, SkipReason> = {
  invisible: SKIP_REASON.targetInvisible,
  inactive: SKIP_REASON.targetInactive,
  system_deactivated: SKIP_REASON.targetSystemDeactivated,
};

/** The target's verdict: a destination, or the reason it cannot take post. */
type TargetVerdict = { to: Destination } | { skipped: SkipReason };

/**
 * Plans a relocation (domain §7): each message goes to its original contact point when
 * `preferOriginal` and that still qualifies, else to the chosen target when it qualifies, else it
 * stays in Virk with a stable reason. Pure: the same input always gives the same plan, in order.
 */
export function planRelocation(input: PlanInput): PlannedMove[] {
  const byId = new Map(input.candidates.map((c) => [c.id, c]));
  const eligible = (id: string | null): Destination | null => {
    const cp = id === null ? undefined : byId.get(id);
    return cp && targetIneligibility(cp) === null ? { contactPointId: cp.id, systemId: cp.recipientSystemId } : null;
  };
  const target = targetVerdict(input.targetContactPointId, byId);
  return input.messages.map((m): PlannedMove => {
    if (input.preferOriginal) {
      const original = eligible(m.originalContactPointId);
      if (original) return { uuid: m.uuid, to: original };
      if (input.targetContactPointId === null) {
        return {
          uuid: m.uuid,
          skipped: m.originalContactPointId === null ? SKIP_REASON.noOriginalAndNoTarget : SKIP_REASON.originalNotEligibleAndNoTarget,
        };
      }
    }
    return "to" in target ? { uuid: m.uuid, to: target.to } : { uuid: m.uuid, skipped: target.skipped };
  });
}

function targetVerdict(id: string | null, byId: ReadonlyMap<string, CandidateContactPoint>): TargetVerdict {
  if (id === null) return { skipped: SKIP_REASON.noTarget };
  const cp = byId.get(id);
  if (!cp) return { skipped: SKIP_REASON.targetUnknown };
  const reason = targetIneligibility(cp);
  return reason ? { skipped: TARGET_REASON[reason] } : { to: { contactPointId: cp.id, systemId: cp.recipientSystemId } };
}

/** One line of a plan summary: how many messages go to one contact point. */
export type MoveGroup = Destination & { count: number; uuids: string[] };

/**
 * Groups a plan by destination (in first-seen order) and lists the skipped messages; the shape
 * of a dry run, and what one batch writes per destination.
 */
export function summarizePlan(plan: readonly PlannedMove[]): { moves: MoveGroup[]; skipped: { uuid: string; reason: SkipReason }[] } {
  const groups = new Map<string, MoveGroup>();
  const skipped: { uuid: string; reason: SkipReason }[] = [];
  for (const p of plan) {
    if (!("to" in p)) {
      skipped.push({ uuid: p.uuid, reason: p.skipped });
      continue;
    }
    const key = `${p.to.contactPointId}\u0000${p.to.systemId}`;
    const g = groups.get(key) ?? { ...p.to, count: 0, uuids: [] };
    g.count++;
    g.uuids.push(p.uuid);
    groups.set(key, g);
  }
  return { moves: [...groups.values()], skipped };
}
