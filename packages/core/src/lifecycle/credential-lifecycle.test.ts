import { describe, expect, it } from "vitest";
import { checkKeyExpiry, keyStanding, previousInForce, rotateSecret, secretsInForce } from "./credential-lifecycle.ts";

const now = new Date("2026-11-27T09:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
const H = 3_600_000;

describe("an API key's standing", () => {
  it("is active until revoked or expired, a revocation counting first", () => {
    expect(keyStanding({ revokedAt: null, expiresAt: null }, now)).toBe("active");
    expect(keyStanding({ revokedAt: null, expiresAt: at(1) }, now)).toBe("active");
    expect(keyStanding({ revokedAt: null, expiresAt: at(0) }, now)).toBe("expired");
    expect(keyStanding({ revokedAt: at(-H), expiresAt: at(-2 * H) }, now)).toBe("revoked");
  });

  it("takes an expiry in the future and at most 730 days ahead, as UTC", () => {
    expect(checkKeyExpiry(at(H), now)).toEqual({ ok: true, expiresAt: at(H) });
    expect(checkKeyExpiry("2026-11-27T12:00:00+02:00", now)).toEqual({ ok: true, expiresAt: "2026-11-27T10:00:00.000Z" });
    expect(checkKeyExpiry(at(730 * 24 * H), now).ok).toBe(true);
    expect(checkKeyExpiry(at(0), now)).toMatchObject({ ok: false, code: "expires_in_past" });
    expect(checkKeyExpiry(at(730 * 24 * H + 1000), now)).toMatchObject({ ok: false, code: "expires_too_late" });
    expect(() => checkKeyExpiry("soon", now)).toThrow(RangeError);
  });
});

describe("a signing-secret rotation", () => {
  const stored = { current: "A", previous: null, previousValidUntil: null };

  it("keeps the previous secret signing for the grace, then the new one alone", () => {
    const r = rotateSecret(stored, "B", now, 2);
    expect(r).toEqual({ current: "B", previous: "A", previousValidUntil: at(2 * H) });
    expect(secretsInForce(r, now)).toEqual(["B", "A"]);
    expect(secretsInForce(r, new Date(now.getTime() + 2 * H - 1))).toEqual(["B", "A"]);
    expect(secretsInForce(r, new Date(now.getTime() + 2 * H))).toEqual(["B"]);
    expect(previousInForce(r, new Date(now.getTime() + 2 * H))).toBe(false);
  });

  it("defaults to 24 hours, drops the previous at once with 0, and signs with two secrets at most", () => {
    expect(rotateSecret(stored, "B", now).previousValidUntil).toBe(at(24 * H));
    const zero = rotateSecret(stored, "B", now, 0);
    expect(zero).toEqual({ current: "B", previous: null, previousValidUntil: at(0) });
    expect(secretsInForce(zero, now)).toEqual(["B"]);
    const twice = rotateSecret(rotateSecret(stored, "B", now, 24), "C", now, 24);
    expect(secretsInForce(twice, now)).toEqual(["C", "B"]);
    expect(secretsInForce({ current: null, previous: null, previousValidUntil: null }, now)).toEqual([]);
  });

  it("refuses a grace that is not a whole number of hours from 0 to 168", () => {
    for (const g of [-1, 169, 1.5, Number.NaN]) expect(() => rotateSecret(stored, "B", now, g)).toThrow(RangeError);
    expect(rotateSecret(stored, "B", now, 168).previousValidUntil).toBe(at(168 * H));
  });
});
