import type { RelocationItemListRow, RelocationListRow, VirkRow } from "@postvej/db";

/** A relocation as the history shows it. */
export function relocationJson(r: RelocationListRow) {
  return {
    id: r.id,
    actor: { kind: r.actor_kind, name: r.actor_name },
    createdAt: r.created_at,
    selection: JSON.parse(r.selection) as unknown,
    targetContactPointId: r.target_contact_point_id,
    targetContactPointName: r.target_contact_point_name,
    preferOriginal: r.prefer_original === 1,
    state: r.state,
    total: r.total,
    moved: r.moved,
    skipped: r.skipped,
    finishedAt: r.finished_at,
  };
}

/** One message's line in a relocation's history. */
export function relocationItemJson(i: RelocationItemListRow) {
  return {
    messageUUID: i.message_uuid,
    label: i.label,
    senderId: i.sender_id,
    senderLabel: i.sender_label ? i.sender_label : null,
    receivedAt: i.received_at === "" ? null : i.received_at,
    fromContactPointId: i.from_contact_point_id,
    toContactPointId: i.to_contact_point_id,
    toContactPointName: i.to_contact_point_name,
    toRecipientSystemId: i.to_recipient_system_id,
    outcome: i.outcome,
    reason: i.reason,
    at: i.at,
  };
}

/** One message of the Virk mailbox. */
export function virkMessageJson(m: VirkRow, senderLabel: string | null) {
  let reason: string | null = null;
  try {
    const data = m.landed_data ? (JSON.parse(m.landed_data) as { reason?: unknown }) : {};
    reason = typeof data.reason === "string" ? data.reason : null;
  } catch {
    reason = null;
  }
  return {
    messageUUID: m.uuid,
    label: m.label,
    senderId: m.sender_id,
    senderLabel,
    receivedAt: m.received_at,
    landedAt: m.landed_at ?? m.received_at,
    originalContactPointId: m.original_contact_point_id,
    originalContactPointName: m.original_contact_point_name,
    reason,
  };
}
