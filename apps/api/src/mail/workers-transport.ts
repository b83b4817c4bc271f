// Workers only: no node:* imports here, and nothing Node-only may import this file.
import { EmailMessage } from "cloudflare:email";
import { formatEml } from "@postvej/core/notify";
import { bareAddress, type MailTransport, type OutgoingMail } from "./transport.ts";

/** The `send_email` binding of a Worker (wrangler: `[[send_email]] name = "SEND_EMAIL"`). */
export interface SendEmailBinding {
  send(message: EmailMessage): Promise<void>;
}

/**
 * Sends through Cloudflare Email Workers: one raw message per recipient (the binding takes one
 * envelope recipient per message), each built by `formatEml` with only that recipient in `To`.
 * As with SMTP, the row counts as sent when any recipient took it: retrying the whole row would
 * send the others a copy on every retry (Cloudflare refuses unverified destinations for good). The
 * refused addresses are logged. Only when no recipient took it does the outbox retry the row.
 * Cloudflare sets a Message-ID of its own, so the outbox id travels in `X-Postvej-Notification-Id`
 * (checked under wrangler dev: it survives).
 */
export function createWorkersTransport(binding: SendEmailBinding): MailTransport {
  return {
    async send(mail: OutgoingMail): Promise<void> {
      const from = bareAddress(mail.from);
      const refused: { to: string; error: unknown }[] = [];
      for (const to of mail.to) {
        const raw = formatEml({ ...mail, to: [to], notificationId: mail.messageId });
        try {
          await binding.send(new EmailMessage(from, bareAddress(to), raw));
        } catch (error) {
          refused.push({ to, error });
        }
      }
      if (refused.length === mail.to.length) throw refused[0]!.error;
      for (const r of refused) console.warn(`postvej: ${mail.messageId} was not accepted for ${r.to}:`, r.error);
    },
  };
}
