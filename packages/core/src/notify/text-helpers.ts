const TIME_ZONE = "Europe/Copenhagen";
const DA = new Intl.DateTimeFormat("da-DK", { timeZone: TIME_ZONE, dateStyle: "long", timeStyle: "short" });
const EN = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, dateStyle: "long", timeStyle: "short" });

/** An ISO instant in Danish format and Danish time, e.g. `27. november 2026 kl. 07.20`. */
export function danishDateTime(iso: string): string {
  return DA.format(parseInstant(iso));
}

/** The same instant for the English part, still in Danish time: `27 November 2026 at 07:20`. */
export function englishDateTime(iso: string): string {
  return `${EN.format(parseInstant(iso))} (Danish time)`;
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

/** Joins the Danish and English parts, each ending with the portal link and a footer. */
export function bilingual(da: string[], en: string[], portalUrl: string | undefined): string {
  const link = portalLink(portalUrl);
  const daPart = [...da];
  const enPart = [...en];
  if (link) {
    daPart.push(`Se detaljer i jeres portal: ${link}`);
    enPart.push(`See the details in your portal: ${link}`);
  }
  daPart.push("Denne e-mail er sendt automatisk af postvej. Den indeholder hverken CPR-numre eller indholdet af meddelelserne.");
  enPart.push("This e-mail was sent automatically by postvej. It contains neither CPR numbers nor the content of the messages.");
  return `${daPart.join("\n\n")}\n\n----- English -----\n\n${enPart.join("\n\n")}\n`;
}
