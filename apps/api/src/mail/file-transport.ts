// Node only: writes to the local filesystem.
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatEml } from "@postvej/core/notify";
import type { MailTransport, OutgoingMail } from "./transport.ts";

/** The default folder for `file:` mail. */
export const DEFAULT_MAIL_DIR = "./data/mail";

/** The file name for a message: its id (the outbox id) made safe, plus `.eml`. */
export function emlFileName(messageId: string): string {
  const id = messageId.replace(/^<|>$/g, "").split("@")[0] ?? "";
  const safe = id.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
  return `${safe || "message"}.eml`;
}

/**
 * Writes each e-mail as `<id>.eml` into `dir` (the local default: nothing leaves the machine).
 * The file appears whole (written aside, then renamed); sending the same id again replaces it.
 */
export function createFileTransport(dir: string = DEFAULT_MAIL_DIR): MailTransport {
  return {
    async send(mail: OutgoingMail): Promise<void> {
      await mkdir(dir, { recursive: true });
      const path = join(dir, emlFileName(mail.messageId));
      const tmp = `${path}.${crypto.randomUUID()}.tmp`;
      await writeFile(tmp, formatEml({ ...mail, notificationId: mail.messageId }), "utf8");
      await rename(tmp, path);
    },
  };
}
