import type { Message } from "@postvej/contract";
import type { MessageMeta } from "@postvej/db";

/** The intake answer and the head of `GET /v1/messages/{uuid}`. */
export function messageAnswer(m: Omit<MessageMeta, "body">): Message {
  return {
    messageUUID: m.uuid,
    state: m.state,
    custodian:
      m.custodian_kind === "virk"
        ? { kind: "virk" as const }
        : // A recipient_system custodian always has its system id; the column is nullable for Virk.
          { kind: "recipient_system" as const, recipientSystemId: m.custodian_system_id as string },
    route: { reason: m.route_reason, contactPointId: m.route_contact_point_id },
    receivedAt: m.received_at,
    ...(m.release_at ? { releaseAt: m.release_at } : {}),
  };
}
