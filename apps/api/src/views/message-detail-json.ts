import type { MessageDetail } from "@postvej/contract";
import { listAttempts, listMessageEvents, type Db, type MessageMeta } from "@postvej/db";
import { messageAnswer } from "./message-json.ts";

/** `GET /v1/messages/{uuid}` and `GET /v1/authorities/{cvr}/messages/{uuid}`: the message with every attempt and event. */
export async function messageDetail(db: Db, m: MessageMeta): Promise<MessageDetail> {
  const [attempts, events] = await Promise.all([listAttempts(db, m.uuid), listMessageEvents(db, m.uuid)]);
  return {
    ...messageAnswer(m),
    label: m.label,
    senderId: m.sender_id,
    senderLabel: m.sender_label || null,
    sizeBytes: m.size_bytes,
    deliveredAt: m.delivered_at,
    nextAttemptAt: m.next_attempt_at,
    receipt: m.receipt_status ? { status: m.receipt_status, error: m.receipt_error } : null,
    attempts: attempts.map((a) => ({
      attempt: a.attempt_no,
      at: a.at,
      recipientSystemId: a.recipient_system_id,
      outcome: a.outcome,
      statusCode: a.status_code,
      error: a.error,
      durationMs: a.duration_ms,
    })),
    events: events.map((e) => ({
      at: e.at,
      type: e.type,
      recipientSystemId: e.recipient_system_id,
      data: JSON.parse(e.data) as Record<string, unknown>,
    })),
  };
}
