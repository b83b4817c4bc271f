const MINUTE = 60_000;

/** Wait before the next try after the n-th failed send (n = 1, 2, …); the last entry repeats. */
export const OUTBOX_BACKOFF_MS: readonly number[] = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 360 * MINUTE];

/** The delay after `failedAttempts` failed sends (≥ 1). */
export function outboxBackoffMs(failedAttempts: number): number {
  const i = Math.min(Math.max(failedAttempts, 1), OUTBOX_BACKOFF_MS.length) - 1;
  return OUTBOX_BACKOFF_MS[i]!;
}

/**
 * How long a drain holds the rows it claimed. It must outlast a whole batch (50 sends, each
 * bounded by the SMTP timeouts), or a second drain could take a row that is still being sent.
 */
export const OUTBOX_LEASE_MS = 15 * MINUTE;
