/** One e-mail handed to a transport; `messageId` is the outbox id, so every copy can be traced. */
export type OutgoingMail = {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  date: Date;
};

/** Hands an e-mail on (SMTP, files, Cloudflare Email Workers); rejects when it was not accepted. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  /** Releases connections, where the transport holds any. */
  close?(): Promise<void>;
}

/** The bare address of `Name <a@b>` or `a@b`, for SMTP envelopes. */
export function bareAddress(address: string): string {
  return /<([^<>]+)>\s*$/.exec(address)?.[1]?.trim() ?? address.trim();
}
