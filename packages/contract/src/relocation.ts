import { z } from "zod";
import { iso, PageQuery } from "./shared.ts";

const instant = (endOfDay: boolean) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .transform((v) => (v.length === 10 ? `${v}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z` : new Date(v).toISOString()));

/** The Virk filters shared by the mailbox listing (`GET …/virk/messages` query) and a relocation's selection. */
export const VirkFilterQuery = z.object({
  /** An ISO date-time (any offset) or a date (its first UTC instant). */
  receivedFrom: instant(false).optional(),
  /** Inclusive: an ISO date-time or a date (its last UTC millisecond). */
  receivedTo: instant(true).optional(),
  originalContactPointId: z
    .string()
    .min(1)
    .max(100)
    .transform((s) => s.toLowerCase())
    .optional(),
  senderId: z.string().min(1).max(100).optional(),
});

/** A received window whose end lies before its start would select nothing by mistake: refused, never an empty answer. */
const windowInOrder = (q: { receivedFrom?: string | undefined; receivedTo?: string | undefined }) =>
  !q.receivedFrom || !q.receivedTo || q.receivedFrom <= q.receivedTo;
const windowOutOfOrder = { path: ["receivedTo"], message: "receivedTo must not be before receivedFrom" };

/** `GET …/virk/messages`: a page of the mailbox, filtered. */
export const VirkListQuery = PageQuery.extend(VirkFilterQuery.shape).refine(windowInOrder, windowOutOfOrder);

/** What to move: chosen UUIDs and/or filters, or `all`. */
export const Selection = VirkFilterQuery.extend({
  messageUUIDs: z
    .array(
      z
        .string()
        .min(1)
        .max(100)
        .transform((s) => s.toLowerCase()),
    )
    .max(10_000)
    .optional(),
  all: z.boolean().optional(),
})
  .strict()
  .refine(windowInOrder, windowOutOfOrder)
  .meta({ id: "Selection" });
export type Selection = z.input<typeof Selection>;

/** A selection as postvej applied it (UUIDs lower-cased, dates as UTC instants), as a relocation's history shows it. */
export const AppliedSelection = z
  .object({
    messageUUIDs: z.array(z.string()).optional(),
    receivedFrom: iso.optional(),
    receivedTo: iso.optional(),
    originalContactPointId: z.string().optional(),
    senderId: z.string().optional(),
    all: z.boolean().optional(),
  })
  .meta({ id: "AppliedSelection" });
export type AppliedSelection = z.infer<typeof AppliedSelection>;

export const RelocationRequest = z
  .object({
    selection: Selection,
    targetContactPointId: z
      .string()
      .min(1)
      .max(100)
      .transform((s) => s.toLowerCase())
      .nullable()
      .optional(),
    preferOriginal: z.boolean().default(false),
    dryRun: z.boolean().default(false),
  })
  .strict()
  .meta({ id: "RelocationRequest" });
export type RelocationRequest = z.input<typeof RelocationRequest>;

export const RelocationState = z.enum(["running", "finished", "stopped"]).meta({ id: "RelocationState" });
export type RelocationState = z.infer<typeof RelocationState>;

export const Relocation = z
  .object({
    id: z.string(),
    actor: z.object({ kind: z.string(), name: z.string() }),
    createdAt: iso,
    selection: AppliedSelection,
    targetContactPointId: z.string().nullable(),
    targetContactPointName: z.string().nullable(),
    preferOriginal: z.boolean(),
    state: RelocationState,
    total: z.number(),
    moved: z.number(),
    skipped: z.number(),
    finishedAt: iso.nullable(),
  })
  .meta({ id: "Relocation" });
export type Relocation = z.infer<typeof Relocation>;

export const RelocationItem = z
  .object({
    messageUUID: z.string(),
    label: z.string().nullable(),
    senderId: z.string().nullable(),
    /** The MeMo Sender's label (e.g. "postvej"), as the Virk mailbox shows it; null when it had none. */
    senderLabel: z.string().nullable(),
    receivedAt: iso.nullable(),
    fromContactPointId: z.string().nullable(),
    toContactPointId: z.string().nullable(),
    toContactPointName: z.string().nullable(),
    toRecipientSystemId: z.string().nullable(),
    outcome: z.enum(["moved", "skipped", "pending"]),
    reason: z.string().nullable(),
    at: iso.nullable(),
  })
  .meta({ id: "RelocationItem" });
export type RelocationItem = z.infer<typeof RelocationItem>;

/** `GET …/relocations/{id}/items`: a page, of one outcome when asked. */
export const RelocationItemQuery = PageQuery.extend({ outcome: z.enum(["moved", "skipped", "pending"]).optional() });

export const DryRunPlan = z
  .object({
    dryRun: z.literal(true),
    total: z.number(),
    moves: z.array(
      z.object({
        contactPointId: z.string(),
        contactPointName: z.string(),
        recipientSystemId: z.string(),
        recipientSystemName: z.string(),
        count: z.number(),
      }),
    ),
    skipped: z.array(z.object({ messageUUID: z.string(), reason: z.string() })),
  })
  .meta({ id: "DryRunPlan" });
export type DryRunPlan = z.infer<typeof DryRunPlan>;
