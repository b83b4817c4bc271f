import { z } from "zod";
import { Actor, iso, PageQuery } from "./shared.ts";

export const MessageState = z.enum(["held", "queued", "delivered", "in_virk", "recalled"]).meta({ id: "MessageState" });
export type MessageState = z.infer<typeof MessageState>;

/** The intake answer and the head of `GET /v1/messages/{uuid}`. */
export const Message = z
  .object({
    messageUUID: z.string(),
    state: MessageState,
    custodian: z.union([
      z.object({ kind: z.literal("recipient_system"), recipientSystemId: z.string() }),
      z.object({ kind: z.literal("virk") }),
    ]),
    route: z.object({ reason: z.string(), contactPointId: z.string().nullable() }),
    receivedAt: iso,
    releaseAt: iso.optional(),
  })
  .meta({ id: "Message" });
export type Message = z.infer<typeof Message>;

export const MessageDetail = Message.extend({
  label: z.string().nullable(),
  senderId: z.string().nullable(),
  senderLabel: z.string().nullable().describe("the MeMo Sender label as received (null when it names none)"),
  sizeBytes: z.number(),
  deliveredAt: iso.nullable(),
  nextAttemptAt: iso.nullable(),
  receipt: z.object({ status: z.string(), error: z.string().nullable() }).nullable(),
  attempts: z.array(
    z.object({
      attempt: z.number(),
      at: iso,
      recipientSystemId: z.string(),
      outcome: z.enum(["delivered", "failed", "rejected"]),
      statusCode: z.number().nullable(),
      error: z.string().nullable(),
      durationMs: z.number(),
    }),
  ),
  events: z.array(
    z.object({ at: iso, type: z.string(), recipientSystemId: z.string().nullable(), data: z.record(z.string(), z.unknown()) }),
  ),
}).meta({ id: "MessageDetail" });
export type MessageDetail = z.infer<typeof MessageDetail>;

export const RecalledMessage = Message.extend({ recalledAt: iso }).meta({ id: "RecalledMessage" });
export type RecalledMessage = z.infer<typeof RecalledMessage>;

/** `POST /v1/messages?memo-message-uuid=`: the messageUUID the sender expects (checked against the document). */
export const IntakeQuery = z.object({ "memo-message-uuid": z.string().optional() });

/**
 * `POST /v1/messages/{uuid}/redeliver`: the message goes again to its current custodian system,
 * now. The same answer for a minute after (200), without pushing again.
 */
export const Redelivery = z
  .object({
    messageUUID: z.string(),
    recipientSystemId: z.string(),
    requestedAt: iso,
    requestedBy: Actor,
    previousState: z.enum(["queued", "delivered"]).describe("the message's state when the redelivery was asked for"),
    state: z.literal("queued"),
    nextAttemptAt: iso
      .nullable()
      .describe("a push system: now (the push follows at once); a pull system: null (the message is back in its waiting list)"),
  })
  .meta({ id: "Redelivery" });
export type Redelivery = z.infer<typeof Redelivery>;

/** `GET /v1/authorities/{cvr}/messages?label=`: the authority's messages whose MeMo label is exactly this one. */
export const MessageLookupQuery = PageQuery.extend({
  label: z.string().trim().min(1).max(500).describe("the MeMo label (MessageHeader/label), matched exactly"),
});

/** One message found by its label: enough to tell it from the others and open its trace. */
export const MessageSummary = z
  .object({
    messageUUID: z.string(),
    label: z.string().nullable(),
    senderId: z.string().nullable(),
    state: MessageState,
    receivedAt: iso,
    custodianSystemId: z.string().nullable().describe("the recipient system that has the message; null in Virk"),
  })
  .meta({ id: "MessageSummary" });
export type MessageSummary = z.infer<typeof MessageSummary>;
