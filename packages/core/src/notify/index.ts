export { EMAIL_TEMPLATE } from "./email-template.ts";
export type { EmailTemplate } from "./email-template.ts";
export type {
  Notice,
  WarningNotice,
  DeactivatedNotice,
  DeactivationDestination,
  VirkDigestNotice,
  RelocationReceiptNotice,
  RelocationTarget,
  RenderedEmail,
} from "./notice.ts";
export { renderEmail } from "./render-email.ts";
export { formatEml, messageIdHeader, rfc5322Date, EmailHeaderError } from "./format-eml.ts";
export type { EmlInput } from "./format-eml.ts";
export { OUTBOX_BACKOFF_MS, OUTBOX_LEASE_MS, outboxBackoffMs } from "./outbox-schedule.ts";
export { VIRK_DIGEST_INTERVAL_MS, virkDigestKey } from "./virk-digest-rule.ts";
export { relocationReceiptDue } from "./relocation-receipt-rule.ts";
