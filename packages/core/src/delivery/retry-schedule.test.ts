import { describe, expect, it } from "vitest";
import { clampRetryAfter, nextRetryDelayMs, RETRY_AFTER_BOUNDS_MS, RETRY_DELAYS_MS } from "./retry-schedule.ts";

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe("RETRY_DELAYS_MS", () => {
  it("starts within a minute, never shrinks, and backs off to hours", () => {
    expect(RETRY_DELAYS_MS[0]).toBeLessThanOrEqual(M);
    for (let i = 1; i < RETRY_DELAYS_MS.length; i++) {
      expect(RETRY_DELAYS_MS[i]).toBeGreaterThan(RETRY_DELAYS_MS[i - 1]!);
    }
    expect(RETRY_DELAYS_MS.at(-1)).toBe(4 * H);
  });

  it("retries often enough that a system down for a day sees attempts throughout it", () => {
    let total = 0;
    let attempts = 0;
    while (total < 24 * H) total += nextRetryDelayMs(++attempts, () => 0.5);
    expect(attempts).toBeGreaterThanOrEqual(10);
    expect(attempts).toBeLessThanOrEqual(20);
  });
});

describe("nextRetryDelayMs", () => {
  it.each([
    [1, 30 * S],
    [2, 1 * M],
    [3, 2 * M],
    [4, 5 * M],
    [5, 10 * M],
    [6, 30 * M],
    [7, 1 * H],
    [8, 2 * H],
    [9, 4 * H],
    [10, 4 * H],
    [500, 4 * H],
  ])("after attempt %i waits about %i ms", (attemptNo, base) => {
    expect(nextRetryDelayMs(attemptNo, () => 0.5)).toBe(base);
    expect(nextRetryDelayMs(attemptNo, () => 0)).toBe(Math.floor(base * 0.8));
    expect(nextRetryDelayMs(attemptNo, () => 0.999999)).toBeLessThan(base * 1.2);
    expect(nextRetryDelayMs(attemptNo, () => 0.999999)).toBeGreaterThan(base * 1.19);
  });

  it("spreads retries across the ±20 % band", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const delays = Array.from({ length: 1000 }, () => nextRetryDelayMs(1, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(24 * S);
    expect(Math.max(...delays)).toBeLessThanOrEqual(36 * S);
    expect(new Set(delays).size).toBeGreaterThan(500);
  });

  it("refuses attempt numbers below 1 or not whole", () => {
    expect(() => nextRetryDelayMs(0, Math.random)).toThrow(RangeError);
    expect(() => nextRetryDelayMs(1.5, Math.random)).toThrow(RangeError);
  });
});

describe("clampRetryAfter", () => {
  const now = new Date("2026-11-27T10:00:00Z");

  it.each<[string | null | undefined, number | null]>([
    ["120", 120 * S],
    [" 5 ", 5 * S],
    ["0", RETRY_AFTER_BOUNDS_MS.min],
    ["86400", RETRY_AFTER_BOUNDS_MS.max],
    ["99999999999999999999999", RETRY_AFTER_BOUNDS_MS.max],
    ["Fri, 27 Nov 2026 10:02:00 GMT", 2 * M],
    ["fri, 27 nov 2026 10:00:30 gmt", 30 * S],
    ["Friday, 27-Nov-26 10:10:00 GMT", 10 * M],
    ["Fri Nov 27 10:00:45 2026", 45 * S],
    ["Fri Nov  7 10:00:45 2026", RETRY_AFTER_BOUNDS_MS.min],
    ["Fri, 27 Nov 2026 09:00:00 GMT", RETRY_AFTER_BOUNDS_MS.min],
    ["Sat, 28 Nov 2026 10:00:00 GMT", RETRY_AFTER_BOUNDS_MS.max],
    [null, null],
    [undefined, null],
    ["", null],
    ["-5", null],
    ["1.5", null],
    ["soon", null],
    ["2026-11-27T10:02:00Z", null],
    ["Fri, 27 Foo 2026 10:02:00 GMT", null],
    ["Fri, 27 Nov 2026 25:02:00 GMT", null],
  ])("%j → %j", (value, expected) => {
    expect(clampRetryAfter(value, now)).toBe(expected);
  });

  it("keeps its bounds at one second and one hour", () => {
    expect(RETRY_AFTER_BOUNDS_MS).toEqual({ min: 1 * S, max: 1 * H });
  });
});
