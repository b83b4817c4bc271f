import { encodeHeaderWords, quotedPrintable } from "./mime-encoding.ts";

/** What `formatEml` needs: one plain-text message. */
export interface EmlInput {
  /** A Message-ID, with or without angle brackets; a bare id gets the sender's domain. */
  messageId: string;
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
  date: Date;
  /**
   * Also written as `X-Postvej-Notification-Id`, for transports that replace the Message-ID
   * (Cloudflare's `send_email` does), so every copy still names its outbox row.
   */
  notificationId?: string;
}

/** An address or id that cannot go into a header safely (line breaks, non-ASCII, empty). */
export class EmailHeaderError extends Error {
  override name = "EmailHeaderError";
}

const ADDRESS = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;

function checkAddress(value: string): string {
  if (!ADDRESS.test(value)) throw new EmailHeaderError(`unsafe address for an e-mail header: ${JSON.stringify(value)}`);
  return value;
}

function checkToken(value: string): string {
  if (!/^[\x21-\x7e]{1,200}$/.test(value)) throw new EmailHeaderError(`unsafe id for an e-mail header: ${JSON.stringify(value)}`);
  return value;
}

/** `<id@domain>` for a Message-ID header; a bare id takes the domain of `from`. */
export function messageIdHeader(messageId: string, from: string): string {
  const bare = messageId.replace(/^<|>$/g, "");
  if (!/^[\x21-\x7e]+$/.test(bare) || /[<>]/.test(bare)) throw new EmailHeaderError(`bad Message-ID: ${messageId}`);
  if (bare.includes("@")) return `<${bare}>`;
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? "postvej.invalid";
  return `<${bare}@${domain}>`;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** RFC 5322 date-time in UTC, e.g. `Fri, 27 Nov 2026 06:20:14 +0000`. */
export function rfc5322Date(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/**
 * One RFC 5322 message: UTF-8 plain text, quoted-printable body, RFC 2047 subject, CRLF line
 * endings. Web-standard APIs only, so Node, Workers and browsers produce the same bytes.
 */
export function formatEml(mail: EmlInput): string {
  if (mail.to.length === 0) throw new EmailHeaderError("an e-mail needs at least one recipient");
  const to = mail.to.map(checkAddress).join(",\r\n ");
  const headers = [
    `From: ${checkAddress(mail.from)}`,
    `To: ${to}`,
    `Subject: ${encodeHeaderWords(mail.subject.replace(/[\r\n]+/g, " "), "Subject".length)}`,
    `Date: ${rfc5322Date(mail.date)}`,
    `Message-ID: ${messageIdHeader(mail.messageId, mail.from)}`,
    ...(mail.notificationId !== undefined ? [`X-Postvej-Notification-Id: ${checkToken(mail.notificationId)}`] : []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: quoted-printable",
  ];
  return `${headers.join("\r\n")}\r\n\r\n${quotedPrintable(mail.text.replace(/\r?\n$/, ""))}\r\n`;
}
