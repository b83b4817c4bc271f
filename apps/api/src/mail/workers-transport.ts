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
 * A failure on any recipient rejects, so the outbox retries the row; recipients already served
 * may then get a second copy (at-least-once). Cloudflare sets a Message-ID of its own, so the
 * outbox id travels in `X-Postvej-Notification-Id` (checked under wrangler dev: it survives).
 */
export function createWorkersTransport(binding: SendEmailBinding): MailTransport {
  return {
    async send(mail: OutgoingMail): Promise<void> {
      const from = bareAddress(mail.from);
      for (const to of mail.to) {
        const raw = formatEml({ ...mail, to: [to], notificationId: mail.messageId });
        await binding.send(new EmailMessage(from, bareAddress(to), raw));
      }
    },
  };
}
