const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Delay before each retry of a push: entry n-1 follows the n-th failed attempt; the last entry repeats. */
export const RETRY_DELAYS_MS: readonly number[] = [
  30 * SECOND,
  1 * MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  1 * HOUR,
  2 * HOUR,
  4 * HOUR,
];

/** Relative spread of the jitter: each delay is drawn from [delay × 0.8, delay × 1.2). */
export const RETRY_JITTER = 0.2;

/** Shortest and longest wait a receiver's `Retry-After` may ask for. */
export const RETRY_AFTER_BOUNDS_MS = {
  // Below a second a receiver (or `Retry-After: 0`) would have us hammer it in a tight loop.
  min: 1 * SECOND,
  // Above an hour one receiver's hint could park a message for days and run past the day-2/5/7
  // redelivery clocks; our own schedule already backs off to hours, so longer hints add nothing.
  max: 1 * HOUR,
} as const;

/**
 * Delay in ms before the next attempt, after `attemptNo` attempts (1-based) have failed, with ±20 % jitter.
 *
 * ±20 % rather than full jitter: it spreads a burst of failures enough that a recovering system is not
 * hit by all retries in the same second, while keeping the schedule's shape (a first retry within a
 * minute) that the redelivery rules and the documentation promise.
 */
export function nextRetryDelayMs(attemptNo: number, random: () => number): number {
  if (!Number.isInteger(attemptNo) || attemptNo < 1) throw new RangeError(`attemptNo must be ≥ 1, got ${attemptNo}`);
  const base = RETRY_DELAYS_MS[Math.min(attemptNo, RETRY_DELAYS_MS.length) - 1]!;
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * r));
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const IMF_FIXDATE = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$/;
const RFC850_DATE = /^[a-z]+, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$/;
const ASCTIME_DATE = /^[a-z]{3} ([a-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/**
 * The wait a `Retry-After` header asks for, in ms from `now`, clamped to {@link RETRY_AFTER_BOUNDS_MS};
 * null when the header is absent or neither delta-seconds nor an HTTP-date.
 */
export function clampRetryAfter(headerValue: string | null | undefined, now: Date): number | null {
  if (headerValue == null) return null;
  const value = headerValue.trim();
  let waitMs: number;
  if (/^\d+$/.test(value)) {
    waitMs = Number(value) * SECOND;
  } else {
    const at = parseHttpDate(value);
    if (at === null) return null;
    waitMs = at - now.getTime();
  }
  return Math.min(Math.max(waitMs, RETRY_AFTER_BOUNDS_MS.min), RETRY_AFTER_BOUNDS_MS.max);
}

/** Milliseconds since the epoch for the three HTTP-date forms of RFC 9110 §5.6.7, or null. */
function parseHttpDate(text: string): number | null {
  const s = text.toLowerCase();
  let m = IMF_FIXDATE.exec(s);
  if (m) return utc(m[3]!, m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  m = RFC850_DATE.exec(s);
  if (m) {
    // Two-digit years: 70–99 are 19xx, the rest 20xx; the obsolete form is rare enough for a fixed pivot.
    const yy = Number(m[3]);
    const year = yy + (yy >= 70 ? 1900 : 2000);
    return utc(String(year), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  }
  m = ASCTIME_DATE.exec(s);
  if (m) return utc(m[6]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!);
  return null;
}

function utc(year: string, month: string, day: string, h: string, min: string, sec: string): number | null {
  const monthIndex = MONTHS.indexOf(month);
  const [d, hh, mm, ss] = [Number(day), Number(h), Number(min), Number(sec)];
  if (monthIndex < 0 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return null;
  return Date.UTC(Number(year), monthIndex, d, hh, mm, ss);
}
