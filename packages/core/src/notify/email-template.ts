/** The e-mail templates postvej sends (outbox `template` column). */
export const EMAIL_TEMPLATE = {
  warningDay2: "warning_day2",
  warningDay5: "warning_day5",
  deactivated: "deactivated",
  virkDigest: "virk_digest",
  relocationReceipt: "relocation_receipt",
} as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATE)[keyof typeof EMAIL_TEMPLATE];
