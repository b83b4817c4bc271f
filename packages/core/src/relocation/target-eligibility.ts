/** Why a contact point cannot take relocated post. */
export const INELIGIBLE_REASON = {
  invisible: "invisible",
  inactive: "inactive",
  systemDeactivated: "system_deactivated",
} as const;
export type IneligibleReason = (typeof INELIGIBLE_REASON)[keyof typeof INELIGIBLE_REASON];

/** A contact point of the authority with the state of its recipient system. */
export type CandidateContactPoint = {
  id: string;
  recipientSystemId: string;
  visible: boolean;
  active: boolean;
  systemState: "active" | "deactivated";
};

/**
 * The eligibility rule of a relocation target (domain §7): visible, active, and its recipient
 * system active. Returns null when it qualifies, else the first reason it does not.
 */
export function targetIneligibility(cp: Pick<CandidateContactPoint, "visible" | "active" | "systemState">): IneligibleReason | null {
  if (!cp.visible) return INELIGIBLE_REASON.invisible;
  if (!cp.active) return INELIGIBLE_REASON.inactive;
  if (cp.systemState !== "active") return INELIGIBLE_REASON.systemDeactivated;
  return null;
}
