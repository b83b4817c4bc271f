import { createFileTransport, DEFAULT_MAIL_DIR } from "./file-transport.ts";
import { createSmtpTransport } from "./smtp-transport.ts";
import type { MailTransport } from "./transport.ts";

/** How mail leaves postvej, read from `POSTVEJ_MAIL_URL` and `POSTVEJ_MAIL_FROM`. */
export type MailConfig = { from: string } & (
  | { kind: "smtp"; host: string; port: number; secure: boolean; user?: string; pass?: string }
  | { kind: "file"; dir: string }
);

/** A `POSTVEJ_MAIL_URL` or `POSTVEJ_MAIL_FROM` that cannot be used. */
export class MailConfigError extends Error {
  override name = "MailConfigError";
}

/** The defaults: files under `./data/mail`, sent as `postvej@localhost`. */
export const DEFAULT_MAIL_URL = `file:${DEFAULT_MAIL_DIR}`;
export const DEFAULT_MAIL_FROM = "postvej@localhost";

type EnvLike = Record<string, string | undefined>;

/**
 * Parses `POSTVEJ_MAIL_URL` (`smtp://user:pass@host:port`, `smtps://…`, `file:./data/mail`,
 * `file:///abs/dir`) and `POSTVEJ_MAIL_FROM`.
 */
export function readMailConfig(env: EnvLike): MailConfig {
  const from = (env.POSTVEJ_MAIL_FROM ?? "").trim() || DEFAULT_MAIL_FROM;
  if (/[\r\n]/.test(from) || !from.includes("@")) throw new MailConfigError(`POSTVEJ_MAIL_FROM is not an address: ${from}`);
  const raw = (env.POSTVEJ_MAIL_URL ?? "").trim() || DEFAULT_MAIL_URL;
  if (raw.startsWith("file:")) {
    const dir = raw.startsWith("file://") ? decodeURIComponent(new URL(raw).pathname) : raw.slice("file:".length);
    if (!dir) throw new MailConfigError("POSTVEJ_MAIL_URL file: needs a folder, e.g. file:./data/mail");
    return { kind: "file", dir, from };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MailConfigError("POSTVEJ_MAIL_URL is not a URL (smtp://, smtps:// or file:)");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new MailConfigError(`POSTVEJ_MAIL_URL scheme ${url.protocol} is not smtp:, smtps: or file:`);
  }
  const secure = url.protocol === "smtps:";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new MailConfigError("POSTVEJ_MAIL_URL needs a host");
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const config: MailConfig = { kind: "smtp", host, port, secure, from };
  if (url.username) {
    config.user = decodeURIComponent(url.username);
    config.pass = decodeURIComponent(url.password);
  }
  return config;
}

/** The configuration for logs, with the SMTP password left out. */
export function describeMailConfig(config: MailConfig): string {
  if (config.kind === "file") return `files in ${config.dir}, from ${config.from}`;
  const user = config.user ? `${config.user}:***@` : "";
  return `${config.secure ? "smtps" : "smtp"}://${user}${config.host}:${config.port}, from ${config.from}`;
}

/** The Node transport for a configuration (SMTP via nodemailer, or `.eml` files). Node only. */
export function createNodeTransport(config: MailConfig): MailTransport {
  if (config.kind === "file") return createFileTransport(config.dir);
  return createSmtpTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user !== undefined ? { user: config.user, pass: config.pass ?? "" } : {}),
  });
}
