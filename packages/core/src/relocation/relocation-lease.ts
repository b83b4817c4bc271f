/** How long one scheduler run holds the running relocations it claimed (a crashed run's claim lapses after it). */
export const RELOCATION_LEASE_MS = 5 * 60_000;
