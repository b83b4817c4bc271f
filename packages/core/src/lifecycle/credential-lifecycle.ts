// The lifecycles of the credentials on either side of a delivery: API keys (created, used, revoked
// or expired) and a push system's signing secret (rotated, with a grace period in which pushes
// carry the old signature too). Every time here is security time, the wall clock, never the
// simulated domain clock: a key's expiry and a secret's grace are judged by the time receivers
// and attackers live in.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The longest an API key may be made to live, from its creation (two years). */
export const API_KEY_MAX_LIFETIME_DAYS = 730;

/** An API key's standing at a time. */
export const KEY_STANDING = { active: "active", revoked: "revoked", expired: "expired" } as const;
export type KeyStanding = (typeof KEY_STANDING)[keyof typeof KEY_STANDING];

/** Whether a key counts at `now`: a revocation ends it at once, an expiry at its time. */
export function keyStanding(key: { revokedAt: string | null; expiresAt: string | null }, now: Date): KeyStanding {
  if (key.revokedAt !== null) return KEY_STANDING.revoked;
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime()) return KEY_STANDING.expired;
  return KEY_STANDING.active;
}

/** Why an expiry asked for at creation is refused. */
export const EXPIRY_PROBLEM = { inPast: "expires_in_past", tooLate: "expires_too_late" } as const;
export type ExpiryProblem = (typeof EXPIRY_PROBLEM)[keyof typeof EXPIRY_PROBLEM];

/** An expiry asked for at `now`: after it, and at most API_KEY_MAX_LIFETIME_DAYS on; as ISO UTC when so. */
export function checkKeyExpiry(
  expiresAt: string,
  now: Date,
): { ok: true; expiresAt: string } | { ok: false; code: ExpiryProblem; message: string } {
  const at = Date.parse(expiresAt);
  if (!Number.isFinite(at)) throw new RangeError(`not a time: ${expiresAt}`);
  if (at <= now.getTime())
    return {
      ok: false,
      code: EXPIRY_PROBLEM.inPast,
      message: `${expiresAt} is not after now (${now.toISOString()}, the server's wall clock)`,
    };
  const latest = now.getTime() + API_KEY_MAX_LIFETIME_DAYS * DAY_MS;
  if (at > latest)
    return {
      ok: false,
      code: EXPIRY_PROBLEM.tooLate,
      message: `at most ${API_KEY_MAX_LIFETIME_DAYS} days ahead (${new Date(latest).toISOString()})`,
    };
  return { ok: true, expiresAt: new Date(at).toISOString() };
}

/** How long a rotated-out signing secret still signs, in whole hours: the default and the bounds. */
export const SIGNING_GRACE_HOURS = { default: 24, min: 0, max: 168 } as const;

/** A push system's secrets as stored (sealed or not: the rules never look inside). */
export type StoredSecrets<S> = { current: S | null; previous: S | null; previousValidUntil: string | null };

/**
 * A rotation at `now`: `fresh` becomes the current secret; the current one stays as the previous
 * until `now + graceHours` (with 0, it is dropped at once). A secret rotated out earlier and still
 * in its grace is dropped: pushes carry two signatures at most.
 */
export function rotateSecret<S>(
  stored: StoredSecrets<S>,
  fresh: S,
  now: Date,
  graceHours: number = SIGNING_GRACE_HOURS.default,
): StoredSecrets<S> & { current: S; previousValidUntil: string } {
  if (!Number.isInteger(graceHours) || graceHours < SIGNING_GRACE_HOURS.min || graceHours > SIGNING_GRACE_HOURS.max) {
    throw new RangeError(`graceHours must be a whole number from ${SIGNING_GRACE_HOURS.min} to ${SIGNING_GRACE_HOURS.max}`);
  }
  const previousValidUntil = new Date(now.getTime() + graceHours * HOUR_MS).toISOString();
  const previous = graceHours > 0 ? stored.current : null;
  return { current: fresh, previous, previousValidUntil };
}

/** The secrets a push at `now` is signed with: the current one first, then the previous while its grace lasts. */
export function secretsInForce<S>(stored: StoredSecrets<S>, now: Date): S[] {
  if (stored.current === null) return [];
  return previousInForce(stored, now) ? [stored.current, stored.previous as S] : [stored.current];
}

/** True while the previous secret still signs (`previousValidUntil` after `now`). */
export function previousInForce(stored: StoredSecrets<unknown>, now: Date): boolean {
  return stored.previous !== null && stored.previousValidUntil !== null && Date.parse(stored.previousValidUntil) > now.getTime();
}
