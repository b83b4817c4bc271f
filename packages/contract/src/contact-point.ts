import { z } from "zod";
import { iso, displayName } from "./shared.ts";

const audiences = z.array(z.enum(["citizens_companies", "authorities"])).min(1);
const isUuidV4 = (v: string) => z.uuidv4().safeParse(v).success;

export const ContactPointCreate = z
  .object({
    id: z.string().refine(isUuidV4, "must be a v4 UUID").optional().describe("a v4 UUID; generated when absent"),
    name: displayName,
    recipientSystemId: z.string(),
    visible: z.boolean(),
    audiences,
    maxSizeMb: z.number().positive().max(1024).optional(),
    maxAttachments: z.number().int().min(0).max(10_000).optional(),
    active: z.boolean().default(true),
  })
  .strict()
  .meta({ id: "ContactPointCreate" });
export type ContactPointCreate = z.input<typeof ContactPointCreate>;

export const ContactPointPatch = z
  .object({
    name: displayName.optional(),
    recipientSystemId: z.string().optional(),
    visible: z.boolean().optional(),
    audiences: audiences.optional(),
    maxSizeMb: z.number().positive().max(1024).nullable().optional(),
    maxAttachments: z.number().int().min(0).max(10_000).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .meta({ id: "ContactPointPatch" });
export type ContactPointPatch = z.input<typeof ContactPointPatch>;

export const ContactPoint = z
  .object({
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
  })
  .meta({ id: "ContactPoint" });
export type ContactPoint = z.infer<typeof ContactPoint>;
