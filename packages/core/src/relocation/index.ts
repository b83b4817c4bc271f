export { INELIGIBLE_REASON, targetIneligibility } from "./target-eligibility.ts";
export type { CandidateContactPoint, IneligibleReason } from "./target-eligibility.ts";
export { SKIP_REASON } from "./skip-reason.ts";
export type { SkipReason } from "./skip-reason.ts";
export { planRelocation, summarizePlan } from "./plan-relocation.ts";
export type { Destination, MoveGroup, PlanInput, PlanMessage, PlannedMove } from "./plan-relocation.ts";
export { RELOCATION_BATCH, RELOCATION_LEASE_MS } from "./relocation-pacing.ts";
export { isRepeatRelocation, RELOCATION_REPEAT_WINDOW_MS } from "./repeat-request.ts";
export type { EarlierRelocation } from "./repeat-request.ts";
