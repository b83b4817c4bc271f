import { z } from "zod";
import { iso, MemoVersion } from "./shared.ts";

export const PullMessage = z
  .object({
    messageUUID: z.string(),
    label: z.string().nullable(),
    senderId: z.string().nullable(),
    receivedAt: iso,
    contactPointId: z.string().nullable(),
    sizeBytes: z.number().describe("the size of the message as the sender sent it"),
    memoVersion: MemoVersion.describe("the MeMo version the sender wrote; the fetch answers in the system's own memoVersion"),
  })
  .meta({ id: "PullMessage" });
export type PullMessage = z.infer<typeof PullMessage>;

export const ReceiptStatus = z.enum(["RECEIVED", "COMPLETED", "INVALID", "NOT_ALLOWED"]).meta({ id: "ReceiptStatus" });
export type ReceiptStatus = z.infer<typeof ReceiptStatus>;

export const ReceiptRequest = z
  .object({
    status: ReceiptStatus,
    errorCode: z.string().max(100).optional(),
    errorMessage: z.string().max(1000).optional(),
  })
  .strict()
  .meta({ id: "ReceiptRequest" });
export type ReceiptRequest = z.input<typeof ReceiptRequest>;

export const ReceiptAnswer = z
  .object({
    messageUUID: z.string(),
    state: z.literal("delivered"),
    receipt: z.object({ status: ReceiptStatus, error: z.string().nullable().describe("the system's reason, for INVALID and NOT_ALLOWED") }),
    deliveredAt: iso,
  })
  .meta({ id: "ReceiptAnswer" });
export type ReceiptAnswer = z.infer<typeof ReceiptAnswer>;
