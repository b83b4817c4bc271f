/** At most one primary per authority: a new system becomes it when asked to, or when the authority has none yet (its first system). */
export function becomesPrimary(requested: boolean | undefined, authorityHasPrimary: boolean): boolean {
  return requested === true || !authorityHasPrimary;
}

/** A deactivated system cannot be made primary (reactivate it first). */
export function canBecomePrimary(state: "active" | "deactivated"): boolean {
  return state === "active";
}
