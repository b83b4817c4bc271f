import { z } from "zod";

// Response shapes for /openapi.json (the routes build these objects in views/ and routes/).

const iso = z.string().describe("ISO 8601 UTC time");

/** `{ items, nextCursor }` around an item schema. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const messageAnswerSchema = z.object({
  messageUUID: z.string(),
  state: z.enum(["held", "queued", "delivered", "in_virk", "recalled"]),
  custodian: z.union([z.object({ kind: z.literal("recipient_system"), recipientSystemId: z.string() }), z.object({ kind: z.literal("virk") })]),
  route: z.object({ reason: z.string(), contactPointId: z.string().nullable() }),
  receivedAt: iso,
  releaseAt: iso.optional(),
});

export const messageDetailSchema = messageAnswerSchema.extend({
  label: z.string().nullable(),
  senderId: z.string().nullable(),
  sizeBytes: z.number(),
  deliveredAt: iso.nullable(),
  nextAttemptAt: iso.nullable(),
  receipt: z.object({ status: z.string(), error: z.string().nullable() }).nullable(),
  attempts: z.array(z.object({ attempt: z.number(), at: iso, recipientSystemId: z.string(), outcome: z.enum(["delivered", "failed", "rejected"]), statusCode: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() })),
  events: z.array(z.object({ at: iso, type: z.string(), recipientSystemId: z.string().nullable(), data: z.record(z.string(), z.unknown()) })),
});

export const recipientSystemSchema = z.object({
  id: z.string(),
  name: z.string(),
  protocol: z.enum(["REST_PUSH", "REST_PULL"]),
  endpoint: z.string().nullable(),
  memoVersion: z.enum(["1.1", "1.2"]),
  technicalContact: z.object({ name: z.string(), email: z.string(), phone: z.string().nullable() }),
  businessContactEmail: z.string(),
  state: z.enum(["active", "deactivated"]),
  deactivatedAt: iso.nullable(),
  deactivationReason: z.enum(["automatic", "manual"]).nullable(),
  primary: z.boolean(),
  lastDeliveredAt: iso.nullable(),
  createdAt: iso,
  updatedAt: iso,
  signingSecret: z.string().optional().describe("whsec_… — only in the 201 of a push system, shown once"),
});

export const contactPointSchema = z.object({
  id: z.string(),
  name: z.string(),
  recipientSystemId: z.string(),
  visible: z.boolean(),
  audiences: z.array(z.enum(["citizens_companies", "authorities"])),
  maxSizeMb: z.number().nullable(),
  maxAttachments: z.number().nullable(),
  active: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
});

export const statusSchema = z.object({
  authority: z.object({ cvr: z.string(), name: z.string() }),
  now: iso,
  virkCount: z.number(),
  systems: z.array(z.object({
    id: z.string(), name: z.string(), protocol: z.enum(["REST_PUSH", "REST_PULL"]), endpointHost: z.string().nullable(),
    state: z.enum(["active", "deactivated"]), primary: z.boolean(), deactivatedAt: iso.nullable(),
    deactivationReason: z.enum(["automatic", "manual"]).nullable(), lastDeliveredAt: iso.nullable(), failingSince: iso.nullable(),
    oldestUndeliveredAt: iso.nullable(), undelivered: z.number(),
    episode: z.object({ startedAt: iso, day2At: iso, day5At: iso, day7At: iso, warnedDay2At: iso.nullable(), warnedDay5At: iso.nullable() }).nullable(),
    nextStep: z.object({ kind: z.enum(["warning_day2", "warning_day5", "deactivation"]), at: iso }).nullable(),
  })),
});

export const virkMessageSchema = z.object({
  messageUUID: z.string(), label: z.string().nullable(), senderId: z.string().nullable(), senderLabel: z.string().nullable(),
  receivedAt: iso, landedAt: iso, originalContactPointId: z.string().nullable(), originalContactPointName: z.string().nullable(),
  reason: z.string().nullable(),
});

export const virkListSchema = listOf(virkMessageSchema).extend({ total: z.number() });

export const relocationSchema = z.object({
  id: z.string(),
  actor: z.object({ kind: z.string(), name: z.string() }),
  createdAt: iso,
  selection: z.unknown(),
  targetContactPointId: z.string().nullable(),
  targetContactPointName: z.string().nullable(),
  preferOriginal: z.boolean(),
  state: z.enum(["running", "finished", "stopped"]),
  total: z.number(),
  moved: z.number(),
  skipped: z.number(),
  finishedAt: iso.nullable(),
});

export const relocationItemSchema = z.object({
  messageUUID: z.string(), label: z.string().nullable(), senderId: z.string().nullable(), receivedAt: iso.nullable(),
  fromContactPointId: z.string().nullable(), toContactPointId: z.string().nullable(), toContactPointName: z.string().nullable(),
  toRecipientSystemId: z.string().nullable(), outcome: z.enum(["moved", "skipped", "pending"]), reason: z.string().nullable(), at: iso.nullable(),
});

export const relocationPlanSchema = z.object({
  dryRun: z.literal(true),
  total: z.number(),
  moves: z.array(z.object({ contactPointId: z.string(), contactPointName: z.string(), recipientSystemId: z.string(), recipientSystemName: z.string(), count: z.number() })),
  skipped: z.array(z.object({ messageUUID: z.string(), reason: z.string() })),
});

export const pullMessageSchema = z.object({
  messageUUID: z.string(), label: z.string().nullable(), senderId: z.string().nullable(), receivedAt: iso,
  contactPointId: z.string().nullable(), sizeBytes: z.number(), memoVersion: z.enum(["1.1", "1.2"]),
});

export const receiptAnswerSchema = z.object({
  messageUUID: z.string(),
  state: z.literal("delivered"),
  receipt: z.object({ status: z.enum(["RECEIVED", "COMPLETED", "INVALID", "NOT_ALLOWED"]), error: z.string().nullable().describe("the system's reason, for INVALID and NOT_ALLOWED") }),
  deliveredAt: iso,
});

export const eventSchema = z.object({
  id: z.number(), at: iso, type: z.string(), messageUUID: z.string().nullable(), recipientSystemId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export const notificationSchema = z.object({
  id: z.string(), template: z.string(), recipientSystemId: z.string().nullable(), to: z.array(z.string()), subject: z.string(),
  lang: z.enum(["da", "en"]), status: z.enum(["queued", "retrying", "sent"]), queuedAt: iso, sentAt: iso.nullable(),
  attempts: z.number(), nextAttemptAt: iso.nullable(), lastError: z.string().nullable(),
});

export const virkMessageDetailSchema = virkMessageSchema.extend({
  state: z.literal("in_virk"), memoVersion: z.enum(["1.1", "1.2"]).nullable(), sizeBytes: z.number(), attachmentCount: z.number(),
  routeReason: z.string().nullable(),
});

export const relocationTargetSchema = z.object({
  contactPointId: z.string(), name: z.string(), recipientSystemId: z.string(), recipientSystemName: z.string(),
  eligible: z.boolean(), reason: z.enum(["invisible", "inactive", "system_deactivated"]).nullable(),
});

export const deactivatedSystemSchema = recipientSystemSchema.extend({
  moved: z.number().describe("undelivered messages moved away"),
  destination: z.union([z.object({ kind: z.literal("primary"), systemId: z.string(), systemName: z.string() }), z.object({ kind: z.literal("virk") })]),
});

export const testDeliverySchema = z.object({
  outcome: z.enum(["delivered", "failed"]), statusCode: z.number().nullable(), error: z.string().nullable(), durationMs: z.number(),
  messageUUID: z.string().nullable().describe("the test letter's UUID; null when nothing was sent (no usable endpoint)"),
});

export const recallAnswerSchema = messageAnswerSchema.extend({ recalledAt: iso });

const capability = z.enum(["view", "relocate", "reactivate"]);

export const portalSessionSchema = z.object({ token: z.string().describe("pvp_… — shown once"), expiresAt: iso, capabilities: z.array(capability) });

export const sessionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("portal"), authorityCvr: z.string(), capabilities: z.array(capability), user: z.object({ name: z.string() }), expiresAt: iso, now: iso.describe("the server's clock, to time the refresh by") }),
  z.object({ kind: z.literal("api_key"), authorityCvr: z.string(), role: z.enum(["sender", "admin", "recipient"]), label: z.string() }),
  z.object({ kind: z.literal("operator") }),
]);

export const healthSchema = z.object({ ok: z.literal(true), now: iso });

export const clockSchema = z.object({ now: iso });

export const clockAdvanceSchema = clockSchema.extend({ ticks: z.number().describe("job runs, one per step of at most 15 minutes") });
