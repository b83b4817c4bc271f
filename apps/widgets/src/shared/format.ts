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

/** Date and time, e.g. `27.11.2026 kl. 07.20` (da-DK) or `27/11/2026, 07:20` (en-GB). */
export function formatDateTime(iso: string, locale: string): string {
  const date = formatDate(iso, locale);
  const time = formatter(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
  return locale.startsWith("da") ? `${date} kl. ${time}` : `${date}, ${time}`;
}

/** A date alone, e.g. `27.11.2026`. */
export function formatDate(iso: string, locale: string): string {
  return formatter(locale, { day: "2-digit", month: "2-digit", year: "numeric" }).format(new Date(iso));
}

/** A short date for timeline ticks, e.g. `27. nov.` / `27 Nov`. */
export function formatShortDate(iso: string, locale: string): string {
  return formatter(locale, { day: "numeric", month: "short" }).format(new Date(iso));
}

/** A number with the locale's grouping, e.g. `10.000` in Danish. */
export function formatNumber(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** Turns a `yyyy-mm-dd` date input into the ISO instant of its start (or, with `endOfDay`, its end) in Danish time. */
export function danishDayBoundary(date: string, endOfDay: boolean): string {
  const [y, m, d] = date.split("-").map(Number);
  if (y === undefined || m === undefined || d === undefined) return date;
  // Find the UTC offset of Copenhagen on that day by formatting noon UTC there.
  const noon = new Date(Date.UTC(y, m - 1, d, 12));
  const parts = formatter("en-GB", { hour: "2-digit", hourCycle: "h23" }).formatToParts(noon);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? "13");
  const offsetHours = hour - 12;
  const start = Date.UTC(y, m - 1, d) - offsetHours * 3_600_000;
  return new Date(endOfDay ? start + 86_400_000 - 1 : start).toISOString();
}
