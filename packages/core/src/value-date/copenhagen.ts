const TIME_ZONE = "Europe/Copenhagen";
const parts = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

// en-CA writes dates as YYYY-MM-DD; one format() call is cheaper than formatToParts on the intake path.
const isoDate = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

// Danish time is UTC+1 or UTC+2, so its date only ever changes on a whole UTC hour: one format an hour.
let formattedHour = NaN;
let formattedDate = "";

/** The calendar date (YYYY-MM-DD) in Danish time at instant `now`. */
export function danishDate(now: Date): string {
  const hour = Math.floor(now.getTime() / 3_600_000);
  if (hour !== formattedHour) {
    formattedDate = isoDate.format(now);
    formattedHour = hour;
  }
  return formattedDate;
}

/** The UTC instant of 00:00 Danish time on `date` (YYYY-MM-DD), through CET or CEST. */
export function danishMidnight(date: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(Date.UTC(y, m - 1, d) - offsetHours * 3_600_000);
    const p = Object.fromEntries(parts.formatToParts(candidate).map((x) => [x.type, x.value]));
    if (`${p.year}-${p.month}-${p.day}` === date && p.hour === "00" && p.minute === "00") return candidate;
  }
  throw new RangeError(`no Danish midnight on ${date}`);
}

/** Whole days from calendar date `a` to `b` (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
