import { z } from "zod";
import { iso, MemoVersion, pageOf } from "./shared.ts";

export const VirkMessage = z
  .object({
    messageUUID: z.string(),
    label: z.string().nullable(),
    senderId: z.string().nullable(),
    senderLabel: z.string().nullable(),
    receivedAt: iso,
    landedAt: iso,
    originalContactPointId: z.string().nullable(),
    originalContactPointName: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: "VirkMessage" });
export type VirkMessage = z.infer<typeof VirkMessage>;

export const VirkPage = pageOf(VirkMessage).extend({ total: z.number() }).meta({ id: "VirkPage" });
export type VirkPage = z.infer<typeof VirkPage>;

export const VirkMessageDetail = VirkMessage.extend({
  state: z.literal("in_virk"),
  memoVersion: MemoVersion.nullable(),
  sizeBytes: z.number(),
  attachmentCount: z.number(),
  routeReason: z.string().nullable(),
}).meta({ id: "VirkMessageDetail" });
export type VirkMessageDetail = z.infer<typeof VirkMessageDetail>;

export const IneligibleReason = z.enum(["invisible", "inactive", "system_deactivated"]).meta({ id: "IneligibleReason" });
export type IneligibleReason = z.infer<typeof IneligibleReason>;

export const RelocationTarget = z
  .object({
    contactPointId: z.string(),
    name: z.string(),
    recipientSystemId: z.string(),
    recipientSystemName: z.string(),
    eligible: z.boolean(),
    reason: IneligibleReason.nullable(),
  })
  .meta({ id: "RelocationTarget" });
export type RelocationTarget = z.infer<typeof RelocationTarget>;
