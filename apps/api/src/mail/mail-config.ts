// Node only: the transports that POSTVEJ_MAIL_URL names (read by config.ts's readMailConfig).
import type { MailConfig } from "../config.ts";
import { createFileTransport } from "./file-transport.ts";
import { createSmtpTransport } from "./smtp-transport.ts";
import type { MailTransport } from "./transport.ts";

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
