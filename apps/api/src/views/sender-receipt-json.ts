import type { SenderReceiptInFeed } from "@postvej/contract";
import { senderReceipt, type ReceiptSource } from "@postvej/core/lifecycle";
import type { SenderReceiptRow } from "@postvej/db";

/** What core's `senderReceipt` makes a receipt of: its row and its event. */
export function receiptSource(r: SenderReceiptRow): ReceiptSource {
  return {
    id: r.id,
    messageUuid: r.message_uuid,
    at: r.at,
    eventType: r.event_type,
    recipientSystemId: r.recipient_system_id,
    eventData: JSON.parse(r.event_data) as Record<string, unknown>,
  };
}

/** A receipt as the pull feed shows it: the pushed JSON, and where its push stands. */
export function senderReceiptJson(r: SenderReceiptRow): SenderReceiptInFeed {
  const state = r.pushed_at ? "pushed" : r.push_gave_up_at ? "gave_up" : r.next_push_at ? "pending" : "not_pushed";
  return {
    ...senderReceipt(receiptSource(r)),
    push: { state, attempts: r.push_attempts, at: r.pushed_at ?? r.push_gave_up_at },
  };
}
