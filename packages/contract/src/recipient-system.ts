import { z } from "zod";
import { Actor, email, iso, MemoVersion, Protocol, displayName } from "./shared.ts";

const contact = z.object({ name: displayName, email, phone: z.string().trim().max(40).optional() }).strict();

export const RecipientSystemCreate = z
  .object({
    name: displayName,
    protocol: Protocol,
    endpoint: z.string().optional(),
    memoVersion: MemoVersion.default("1.1"),
    technicalContact: contact,
    businessContactEmail: email,
    primary: z.boolean().optional(),
  })
  .strict()
  .meta({ id: "RecipientSystemCreate" });
export type RecipientSystemCreate = z.input<typeof RecipientSystemCreate>;

export const RecipientSystemPatch = z
  .object({
    name: displayName.optional(),
    endpoint: z.string().optional(),
    memoVersion: MemoVersion.optional(),
    technicalContact: contact.optional(),
    businessContactEmail: email.optional(),
  })
  .strict()
  .meta({ id: "RecipientSystemPatch" });
export type RecipientSystemPatch = z.input<typeof RecipientSystemPatch>;

export const RecipientSystem = z
  .object({
    id: z.string(),
    name: z.string(),
    protocol: Protocol,
    endpoint: z.string().nullable(),
    memoVersion: MemoVersion,
    technicalContact: z.object({ name: z.string(), email: z.string(), phone: z.string().nullable() }),
    businessContactEmail: z.string(),
    state: z.enum(["active", "deactivated"]),
    deactivatedAt: iso.nullable(),
    deactivationReason: z.enum(["automatic", "manual"]).nullable(),
    primary: z.boolean(),
    lastDeliveredAt: iso.nullable(),
    createdAt: iso,
    updatedAt: iso,
    previousSecretValidUntil: iso
      .nullable()
      .describe(
        "during a signing-secret rotation's grace: until when pushes also carry the previous secret's signature (wall clock); null otherwise",
      ),
    signingSecret: z.string().optional().describe("whsec_… — only in the 201 of a push system, shown once"),
  })
  .meta({ id: "RecipientSystem" });
export type RecipientSystem = z.infer<typeof RecipientSystem>;

export const DeactivatedSystem = RecipientSystem.extend({
  moved: z.number().describe("undelivered messages moved away, those held for their value date included"),
  destination: z.union([
    z.object({ kind: z.literal("primary"), systemId: z.string(), systemName: z.string() }),
    z.object({ kind: z.literal("virk") }),
  ]),
}).meta({ id: "DeactivatedSystem" });
export type DeactivatedSystem = z.infer<typeof DeactivatedSystem>;

export const TestDelivery = z
  .object({
    outcome: z.enum(["delivered", "failed"]),
    statusCode: z.number().nullable(),
    error: z.string().nullable(),
    durationMs: z.number(),
    messageUUID: z.string().nullable().describe("the test letter's UUID; null when nothing was sent (no usable endpoint)"),
  })
  .meta({ id: "TestDelivery" });
export type TestDelivery = z.infer<typeof TestDelivery>;

/**
 * `POST …/recipient-systems/{id}/retry-now`: the system's queued post that waited for a later
 * attempt is due now (at most `limit` per call). The same answer for a minute after (200), unless
 * `more` remained: then the next call makes the next ones due.
 */
export const RetryNow = z
  .object({
    recipientSystemId: z.string(),
    requestedAt: iso,
    requestedBy: Actor,
    madeDue: z.number().int().describe("messages this call made due now (post already due or in flight is not counted)"),
    limit: z.number().int().describe("the most one call makes due"),
    more: z.boolean().describe("true when more queued messages still wait for a later attempt: call again"),
  })
  .meta({ id: "RetryNow" });
export type RetryNow = z.infer<typeof RetryNow>;

export const SigningSecretRotation = z
  .object({
    graceHours: z
      .number()
      .int()
      .min(0)
      .max(168)
      .default(24)
      .describe("how long pushes stay signed with the previous secret too, in hours (wall clock); 0 drops it at once"),
  })
  .strict()
  .meta({ id: "SigningSecretRotation" });
export type SigningSecretRotation = z.input<typeof SigningSecretRotation>;

export const SigningSecret = z
  .object({
    signingSecret: z.string().describe("the new whsec_… secret — shown once"),
    previousValidUntil: iso.describe(
      "until when pushes also carry the previous secret's signature (wall clock); now, when graceHours was 0",
    ),
  })
  .meta({ id: "SigningSecret" });
export type SigningSecret = z.infer<typeof SigningSecret>;
