import { z } from "zod";
import { iso } from "./shared.ts";
import { ReceiptStatus } from "./pull.ts";

export const ReceiptEndpointRequest = z
  .object({
    url: z
      .string()
      .max(2000)
      .describe("where receipts are pushed: https:// on a public address (plain http to loopback only outside production)"),
  })
  .strict()
  .meta({ id: "ReceiptEndpointRequest" });
export type ReceiptEndpointRequest = z.input<typeof ReceiptEndpointRequest>;

export const ReceiptEndpoint = z
  .object({
    url: z.string(),
    signingSecret: z
      .string()
      .optional()
      .describe("whsec_… the pushes are signed with — only in the 201 that creates the endpoint, shown once; a later PUT keeps it"),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: "ReceiptEndpoint" });
export type ReceiptEndpoint = z.infer<typeof ReceiptEndpoint>;

export const SenderReceiptType = z
  .enum(["delivered", "in_virk", "relocated", "recalled", "business_receipt"])
  .meta({ id: "SenderReceiptType" });
export type SenderReceiptType = z.infer<typeof SenderReceiptType>;

export const SenderReceipt = z
  .object({
    id: z.string().describe("rct_…: the same in the feed and as the push's webhook-id; one receipt is relayed once"),
    type: SenderReceiptType,
    messageUUID: z.string(),
    at: iso.describe("when the outcome happened"),
    recipientSystemId: z
      .string()
      .nullable()
      .describe("the system delivered or relocated to, or that answered; null for in_virk and recalled"),
    receipt: z
      .object({ status: ReceiptStatus, error: z.string().nullable().describe("the system's reason, for INVALID and NOT_ALLOWED") })
      .nullable()
      .describe("the recipient system's business receipt (business_receipt only)"),
    reason: z.string().nullable().describe("why it landed in Virk (in_virk only)"),
    relocationId: z.string().nullable().describe("the relocation that moved it out of Virk (relocated only)"),
  })
  .meta({ id: "SenderReceipt" });
export type SenderReceipt = z.infer<typeof SenderReceipt>;

export const SenderReceiptInFeed = SenderReceipt.extend({
  push: z
    .object({
      state: z.enum(["not_pushed", "pending", "pushed", "gave_up"]),
      attempts: z.number(),
      at: iso.nullable().describe("when it was pushed (2xx) or given up"),
    })
    .describe(
      "where its push stands (not_pushed: not to be pushed, as the key had no receipt endpoint when it was made, or removed it before)",
    ),
}).meta({ id: "SenderReceiptInFeed" });
export type SenderReceiptInFeed = z.infer<typeof SenderReceiptInFeed>;

export const PushBusinessReceipt = z
  .object({
    receiptStatus: ReceiptStatus,
    errorCode: z.string().optional().describe("for INVALID and NOT_ALLOWED"),
    errorMessage: z.string().optional().describe("for INVALID and NOT_ALLOWED"),
  })
  .meta({ id: "PushBusinessReceipt" });
export type PushBusinessReceipt = z.infer<typeof PushBusinessReceipt>;
