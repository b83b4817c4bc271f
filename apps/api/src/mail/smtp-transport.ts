// Node only: nodemailer speaks SMTP over node:net / node:tls.
import { formatEml } from "@postvej/core/notify";
import { createTransport } from "nodemailer";
import { bareAddress, type MailTransport, type OutgoingMail } from "./transport.ts";

/** Where and how to hand mail to an SMTP server. */
export type SmtpOptions = {
  host: string;
  port: number;
  /** TLS from the first byte (`smtps://`); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  /** Upper bound for connecting, the greeting and each wait on the socket. */
  timeoutMs?: number;
};

/**
 * An SMTP hand-off. The message is the same RFC 5322 text `formatEml` builds for the file and
 * Workers transports; nodemailer only carries it (envelope, dot-stuffing, AUTH, STARTTLS).
 */
export function createSmtpTransport(opts: SmtpOptions): MailTransport {
  const timeout = opts.timeoutMs ?? 15_000;
  const transporter = createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.secure,
    auth: opts.user !== undefined ? { user: opts.user, pass: opts.pass ?? "" } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(mail: OutgoingMail): Promise<void> {
      // nodemailer rejects when the server refuses the sender, every recipient, or the data.
      // A recipient refused while others were accepted counts as sent: retrying the row would
      // send the others a second copy, and a refused address is normally refused for good.
      await transporter.sendMail({
        envelope: { from: bareAddress(mail.from), to: mail.to.map(bareAddress) },
        raw: formatEml({ ...mail, notificationId: mail.messageId }),
      });
    },
    async close(): Promise<void> {
      transporter.close();
    },
  };
}
