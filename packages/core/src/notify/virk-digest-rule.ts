/** "Never more than one an hour" (domain §8): a Virk digest follows the previous one by a full hour at least. */
export const VIRK_DIGEST_INTERVAL_MS = 60 * 60_000;

/**
 * `virk_digest:{cvr}:after:{previous digest's time}`: two ticks that race (even across an hour
 * boundary) see the same previous digest, so only one of them can queue the next.
 */
export function virkDigestKey(cvr: string, lastDigestAt: string | null): string {
  return `virk_digest:${cvr}:after:${lastDigestAt ?? "none"}`;
}
