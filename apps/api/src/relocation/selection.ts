import type { VirkFilter } from "@postvej/db";
import { z } from "zod";
import { ApiError } from "../errors.ts";

const instant = (endOfDay: boolean) =>
  z.union([z.iso.datetime({ offset: true }), z.iso.date()])
    .transform((v) => (v.length === 10 ? `${v}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z` : new Date(v).toISOString()));

/** `receivedFrom`: an ISO date-time (any offset) or a date (its first UTC instant). */
export const receivedFrom = instant(false);
/** `receivedTo` (inclusive): an ISO date-time or a date (its last UTC millisecond). */
export const receivedTo = instant(true);

/** The Virk filters shared by the mailbox listing and a relocation's selection. */
export const virkFilterFields = {
  receivedFrom: receivedFrom.optional(),
  receivedTo: receivedTo.optional(),
  originalContactPointId: z.string().min(1).max(100).transform((s) => s.toLowerCase()).optional(),
  senderId: z.string().min(1).max(100).optional(),
};

/** What to move: chosen UUIDs and/or filters, or `all`. */
export const selectionSchema = z.object({
  messageUUIDs: z.array(z.string().min(1).max(100).transform((s) => s.toLowerCase())).max(10_000).optional(),
  ...virkFilterFields,
  all: z.boolean().optional(),
}).strict();
export type Selection = z.infer<typeof selectionSchema>;

/** A selection as a Virk filter plus the UUIDs asked for; 422 when it selects nothing at all. */
export function selectionFilter(s: Selection): { filter: VirkFilter; uuids: string[] | null } {
  const filter: VirkFilter = {};
  if (s.receivedFrom !== undefined) filter.receivedFrom = s.receivedFrom;
  if (s.receivedTo !== undefined) filter.receivedTo = s.receivedTo;
  if (s.originalContactPointId !== undefined) filter.originalContactPointId = s.originalContactPointId;
  if (s.senderId !== undefined) filter.senderId = s.senderId;
  const uuids = s.messageUUIDs && s.messageUUIDs.length > 0 ? [...new Set(s.messageUUIDs)] : null;
  if (!uuids && Object.keys(filter).length === 0 && s.all !== true) {
    throw new ApiError(422, "empty_selection", "the selection is empty: give messageUUIDs, a filter, or all: true", [
      { path: "selection", code: "empty_selection", message: "nothing selected" },
    ]);
  }
  if (uuids) filter.uuids = uuids;
  return { filter, uuids };
}
