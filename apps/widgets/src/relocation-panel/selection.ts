import type { Selection } from "../shared/api-types.ts";
import { danishDayBoundary } from "../shared/format.ts";

/** The mailbox filters as the form holds them (`yyyy-mm-dd` dates in Danish time). */
export interface Filters {
  receivedFrom: string;
  receivedTo: string;
  originalContactPointId: string;
  senderId: string;
}

export const emptyFilters: Filters = { receivedFrom: "", receivedTo: "", originalContactPointId: "", senderId: "" };

/** What the administrator has picked: some messages by id, or everything matching the filters. */
export type Picked = { kind: "some"; ids: ReadonlySet<string> } | { kind: "all" };

/** The filters as API query/selection fields (dates widened to whole Danish days); empty ones left out. */
export function filterFields(f: Filters): Omit<Selection, "messageUUIDs" | "all"> {
  const out: Omit<Selection, "messageUUIDs" | "all"> = {};
  if (f.receivedFrom) out.receivedFrom = danishDayBoundary(f.receivedFrom, false);
  if (f.receivedTo) out.receivedTo = danishDayBoundary(f.receivedTo, true);
  if (f.originalContactPointId) out.originalContactPointId = f.originalContactPointId;
  if (f.senderId.trim()) out.senderId = f.senderId.trim();
  return out;
}

/** The selection to send: explicit UUIDs, or the filter itself (never thousands of UUIDs). */
export function toSelection(picked: Picked, applied: Filters): Selection {
  if (picked.kind === "some") return { messageUUIDs: [...picked.ids] };
  const fields = filterFields(applied);
  return Object.keys(fields).length === 0 ? { all: true } : fields;
}

/** Query string for the mailbox listing. */
export function mailboxQuery(applied: Filters, limit: number, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(limit) });
  for (const [k, v] of Object.entries(filterFields(applied))) params.set(k, String(v));
  if (cursor) params.set("cursor", cursor);
  return params.toString();
}

/** The selection with `ids` added (on) or removed; "everything matching" stays as it is. */
export function withIds(picked: Picked, ids: readonly string[], on: boolean): Picked {
  if (picked.kind === "all") return picked;
  const next = new Set(picked.ids);
  for (const id of ids) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return { kind: "some", ids: next };
}
