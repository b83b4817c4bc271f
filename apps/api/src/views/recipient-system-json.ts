import type { RecipientSystem } from "@postvej/contract";
import type { RecipientSystemsTable } from "@postvej/db";

/** A recipient system as the API shows it (never the signing secret). */
export function recipientSystemJson(r: RecipientSystemsTable): RecipientSystem {
  return {
    id: r.id,
    name: r.name,
    protocol: r.protocol,
    endpoint: r.endpoint,
    memoVersion: r.memo_version,
    technicalContact: { name: r.technical_contact_name, email: r.technical_contact_email, phone: r.technical_contact_phone },
    businessContactEmail: r.business_contact_email,
    state: r.state,
    deactivatedAt: r.deactivated_at,
    deactivationReason: r.deactivation_reason,
    primary: r.is_primary === 1,
    lastDeliveredAt: r.last_delivered_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
