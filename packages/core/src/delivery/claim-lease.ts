const SECOND = 1000;

/** The shortest lease a delivery claim gets. */
export const MIN_CLAIM_LEASE_MS = 30 * SECOND;

/**
 * A push claim's lease, on the wall clock: long enough to outlive one push (`pushTimeoutMs`) and a
 * missed renewal, short enough that a crashed run's unsent claims come round again soon. A run
 * renews the claims it has not yet settled every third of a lease.
 */
export function pushClaimLeaseMs(pushTimeoutMs: number): number {
  return Math.max(MIN_CLAIM_LEASE_MS, 2 * pushTimeoutMs + 5 * SECOND);
}

/** When the rest of an unreachable system's claimed messages (no HTTP answer at all) come round again. */
export const UNREACHABLE_RETRY_MS = 30 * SECOND;
