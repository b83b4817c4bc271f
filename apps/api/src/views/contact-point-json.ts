import type { ContactPoint } from "@postvej/contract";
import type { ContactPointsTable } from "@postvej/db";

/** A contact point as the API shows it. */
export function contactPointJson(r: ContactPointsTable): ContactPoint {
  return {
    id: r.id,
    name: r.name,
    recipientSystemId: r.recipient_system_id,
    visible: r.visible === 1,
    audiences: JSON.parse(r.audiences) as ContactPoint["audiences"],
    maxSizeMb: r.max_size_mb,
    maxAttachments: r.max_attachments,
    active: r.active === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
