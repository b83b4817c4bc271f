const TIME_ZONE = "Europe/Copenhagen";
const DA = new Intl.DateTimeFormat("da-DK", { timeZone: TIME_ZONE, dateStyle: "long", timeStyle: "short" });
const EN = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, dateStyle: "long", timeStyle: "short" });
const DA_DAY = new Intl.DateTimeFormat("da-DK", { timeZone: TIME_ZONE, dateStyle: "long" });
const EN_DAY = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, dateStyle: "long" });
const DA_TIME = new Intl.DateTimeFormat("da-DK", { timeZone: TIME_ZONE, timeStyle: "short" });
const EN_TIME = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, timeStyle: "short" });

/** An ISO instant in Danish format and Danish time, e.g. `27. november 2026 kl. 07.20`. */
export function danishDateTime(iso: string): string {
  return DA.format(parseInstant(iso));
}

/** The same instant for the English part, still in Danish time: `27 November 2026 at 07:20`. */
export function englishDateTime(iso: string): string {
  return `${EN.format(parseInstant(iso))} (Danish time)`;
}

/**
 * A period in Danish, written once: `den 10. december 2026 kl. 08.17` when both ends fall in the same
 * minute, `den 10. december 2026 mellem kl. 08.17 og 09.17` within one day, else `fra … til …`.
 */
export function danishPeriod(since: string, until: string): string {
  const [from, to] = [parseInstant(since), parseInstant(until)];
  if (DA.format(from) === DA.format(to)) return `den ${DA.format(from)}`;
  if (DA_DAY.format(from) === DA_DAY.format(to))
    return `den ${DA_DAY.format(from)} mellem kl. ${DA_TIME.format(from)} og ${DA_TIME.format(to)}`;
  return `fra ${DA.format(from)} til ${DA.format(to)}`;
}

/** The same period for the English part, in Danish time: `on 10 December 2026 between 08:17 and 09:17 (Danish time)`. */
export function englishPeriod(since: string, until: string): string {
  const [from, to] = [parseInstant(since), parseInstant(until)];
  if (EN.format(from) === EN.format(to)) return `on ${EN.format(from)} (Danish time)`;
  if (EN_DAY.format(from) === EN_DAY.format(to)) {
    return `on ${EN_DAY.format(from)} between ${EN_TIME.format(from)} and ${EN_TIME.format(to)} (Danish time)`;
  }
  return `from ${EN.format(from)} to ${EN.format(to)} (Danish time)`;
}

/** The longest subject postvej writes, in characters: the 78 that RFC 5322 recommends for a header line. */
export const SUBJECT_MAX = 78;

/**
 * A subject of at most SUBJECT_MAX characters: the first of `variants` (each given the full `name`)
 * that fits, else the last one with `name` cut short and ending in "…".
 */
export function fitSubject(name: string, variants: readonly ((name: string) => string)[]): string {
  for (const variant of variants) {
    const subject = variant(name);
    if ([...subject].length <= SUBJECT_MAX) return subject;
  }
  const last = variants[variants.length - 1] ?? ((n: string) => n);
  const room = Math.max(SUBJECT_MAX - [...last("")].length - 1, 1);
  return last(`${[...name].slice(0, room).join("").trimEnd()}…`);
}

function parseInstant(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an ISO date-time: ${iso}`);
  return date;
}

/** A value put into an e-mail: one line, no control characters, trimmed. */
export function clean(value: string): string {
  return value
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** `1 meddelelse`, `2 meddelelser`. */
export function countDa(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `1 message`, `2 messages`. */
export function countEn(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The portal link when it is an http(s) URL, else nothing: e-mails link nowhere else. */
export function portalLink(portalUrl: string | undefined): string | undefined {
  if (!portalUrl) return undefined;
  try {
    const url = new URL(portalUrl);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Joins the Danish and English parts, each ending with the portal link and a footer. The subject is
 * Danish only (to keep it short); the English part opens with its English translation.
 */
export function bilingual(da: string[], en: string[], portalUrl: string | undefined, englishSubject: string): string {
  const link = portalLink(portalUrl);
  const daPart = [...da];
  const enPart = [`Subject: ${englishSubject}`, ...en];
  if (link) {
    daPart.push(`Se detaljerne i jeres portal: ${link}`);
    enPart.push(`See the details in your portal: ${link}`);
  }
  daPart.push("Denne e-mail er sendt automatisk af postvej. Den indeholder hverken CPR-numre eller indholdet af meddelelserne.");
  enPart.push("This e-mail was sent automatically by postvej. It contains neither CPR numbers nor the content of the messages.");
  return `${daPart.join("\n\n")}\n\n----- English -----\n\n${enPart.join("\n\n")}\n`;
}
