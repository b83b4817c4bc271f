import type { Selection } from "@postvej/contract";
import type { VirkFilter } from "@postvej/db";
import { ApiError } from "../errors.ts";

// The selection's schema (and the Virk filters it shares with the mailbox listing) is the contract's.
export type { Selection };

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
