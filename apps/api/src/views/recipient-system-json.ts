import type { RecipientSystem } from "@postvej/contract";
import { previousInForce } from "@postvej/core/lifecycle";
import type { RecipientSystemsTable } from "@postvej/db";
import { storedSecrets } from "../services/signing-secrets.ts";

/** A recipient system as the API shows it (never the signing secret); a rotation's grace is judged by the wall clock. */
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
    previousSecretValidUntil: previousInForce(storedSecrets(r), new Date()) ? (r.previous_secret_valid_until ?? null) : null,
  };
}
