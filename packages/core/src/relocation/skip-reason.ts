/** Stable codes for why a selected message stays in Virk. */
export const SKIP_REASON = {
  /** preferOriginal: the original contact point no longer qualifies (or is unknown) and no target was given. */
  originalNotEligibleAndNoTarget: "original_not_eligible_and_no_target",
  /** preferOriginal: the message named no contact point and no target was given. */
  noOriginalAndNoTarget: "no_original_and_no_target",
  /** Neither preferOriginal nor a target: nowhere to go. */
  noTarget: "no_target",
  /** The target is not (or no longer) one of the authority's contact points. */
  targetUnknown: "target_unknown",
  targetInvisible: "target_invisible",
  targetInactive: "target_inactive",
  targetSystemDeactivated: "target_system_deactivated",
  /** The message is not (or no longer) in the authority's Virk mailbox. */
  notInVirk: "not_in_virk",
  /** Another running relocation has claimed the message. */
  alreadyMoving: "already_moving",
  /** The relocation was stopped before the message's turn. */
  stopped: "stopped",
} as const;
export type SkipReason = (typeof SKIP_REASON)[keyof typeof SKIP_REASON];
