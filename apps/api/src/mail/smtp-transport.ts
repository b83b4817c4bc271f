// Node only: nodemailer speaks SMTP over node:net / node:tls.
import { formatEml } from "@postvej/core/notify";
import type { Transporter } from "nodemailer";
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
  /** How long an idle connection is kept for the next e-mail. */
  idleMs?: number;
};

/**
 * An SMTP hand-off. The message is the same RFC 5322 text `formatEml` builds for the file and
 * Workers transports; nodemailer only carries it (envelope, dot-stuffing, AUTH, STARTTLS).
 *
 * One pooled connection is reused while e-mails keep coming (on loopback ≈2 ms an e-mail
 * instead of ≈105 ms for a connection each) and closed after `idleMs` without any, so an idle
 * process holds no socket open.
 */
export function createSmtpTransport(opts: SmtpOptions): MailTransport {
  const timeout = opts.timeoutMs ?? 15_000;
  let transporter: Transporter | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = 0;

  // nodemailer (≈4.5 MB of heap) is loaded with the first e-mail, not by every process that might send one.
  const open = async (): Promise<Transporter> => {
    const { createTransport } = await import("nodemailer");
    return (transporter ??= createTransport({
      pool: true,
      maxConnections: 1,
      host: opts.host,
      port: opts.port,
      secure: opts.secure,
      auth: opts.user !== undefined ? { user: opts.user, pass: opts.pass ?? "" } : undefined,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    }));
  };
  const shut = () => {
    clearTimeout(idleTimer);
    idleTimer = undefined;
    transporter?.close();
    transporter = undefined;
  };

  return {
    async send(mail: OutgoingMail): Promise<void> {
      clearTimeout(idleTimer);
      inFlight++;
      try {
        // nodemailer rejects when the server refuses the sender, every recipient, or the data.
        // A recipient refused while others were accepted counts as sent: retrying the row would
        // send the others a second copy, and a refused address is normally refused for good.
        await (
          await open()
        ).sendMail({
          envelope: { from: bareAddress(mail.from), to: mail.to.map(bareAddress) },
          raw: formatEml({ ...mail, notificationId: mail.messageId }),
        });
      } finally {
        inFlight--;
        if (inFlight === 0) {
          idleTimer = setTimeout(shut, opts.idleMs ?? 5_000);
          idleTimer.unref();
        }
      }
    },
    async close(): Promise<void> {
      shut();
    },
  };
}
