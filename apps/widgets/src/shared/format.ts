/** Dates are shown in Danish time whatever the browser's zone, since that is the authority's day. */
const timeZone = "Europe/Copenhagen";

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    cache.set(key, f);
  }
  return f;
}

/** Date and time, e.g. `3. dec. 2026 kl. 08.16` (da-DK) or `3 Dec 2026, 08:16` (en-GB). */
export function formatDateTime(iso: string, locale: string): string {
  const date = formatDate(iso, locale);
  const time = formatter(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
  return locale.startsWith("da") ? `${date} kl. ${time}` : `${date}, ${time}`;
}

/** A date alone, e.g. `3. dec. 2026` / `3 Dec 2026`. */
export function formatDate(iso: string, locale: string): string {
  return formatter(locale, { day: "numeric", month: "short", year: "numeric" }).format(new Date(iso));
}

/** A number with the locale's grouping, e.g. `10.000` in Danish. */
export function formatNumber(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** Copenhagen's offset from UTC, in ms, at an instant. */
function offsetAt(ms: number): number {
  const parts = formatter("en-GB", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - (ms - (ms % 1000));
}

/** The UTC instant of 00:00 Danish time on a calendar day (days may be 23 or 25 hours long). */
function danishMidnight(y: number, m: number, d: number): number {
  const wall = Date.UTC(y, m - 1, d);
  // Two rounds: the offset at a first guess, then at the instant that guess gives.
  const guess = wall - offsetAt(wall);
  return wall - offsetAt(guess);
}

/** Turns a `yyyy-mm-dd` date input into the ISO instant of its start (or, with `endOfDay`, its last millisecond) in Danish time. */
export function danishDayBoundary(date: string, endOfDay: boolean): string {
  const [y, m, d] = date.split("-").map(Number);
  if (y === undefined || m === undefined || d === undefined || [y, m, d].some(Number.isNaN)) return date;
  const ms = endOfDay ? danishMidnight(y, m, d + 1) - 1 : danishMidnight(y, m, d);
  return new Date(ms).toISOString();
}
