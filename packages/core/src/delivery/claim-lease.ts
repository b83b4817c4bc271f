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

/** The shortest wait of a graceful shutdown for the work in flight. */
export const MIN_SHUTDOWN_GRACE_MS = 10 * SECOND;

/**
 * How long a graceful shutdown waits for the work in flight: no new push starts once it begins,
 * and each push already started ends within the push timeout (answered, or failed as `timeout`),
 * so the wait outlives the longest push (`pushTimeoutMs`, or a receipt's `receiptTimeoutMs`) by
 * 5 s for recording its outcome. A push answered but not recorded would go out again.
 */
export function shutdownGraceMs(pushTimeoutMs: number, receiptTimeoutMs = 0): number {
  return Math.max(MIN_SHUTDOWN_GRACE_MS, Math.max(pushTimeoutMs, receiptTimeoutMs) + 5 * SECOND);
}
