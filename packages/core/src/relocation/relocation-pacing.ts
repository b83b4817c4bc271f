/** How many messages one relocation batch (one transaction) moves at most (domain.md: a message is either moved or still in Virk). */
export const RELOCATION_BATCH = 500;

/** How long one scheduler run holds the running relocations it claimed, on the wall clock (a crashed run's claim lapses after it). */
export const RELOCATION_LEASE_MS = 5 * 60_000;
