import type { EventType } from "../shared/api-types.ts";
import { danishDayBoundary } from "../shared/format.ts";

/** The event log's filters as the form holds them: a system id, a kind (a group `g:…` or one type) and Danish dates. */
export interface LogFilters {
  recipientSystemId: string;
  kind: string;
  from: string;
  to: string;
}

export const NO_FILTERS: LogFilters = { recipientSystemId: "", kind: "", from: "", to: "" };

/** The kind filter's groups: several event types the API is asked for at once. */
export const KIND_GROUPS = {
  deliveries: ["attempt_failed", "delivered", "receipt_rejected", "manual_redelivery", "retry_now"],
  failures: ["attempt_failed", "receipt_rejected"],
  moves: ["rerouted", "landed_in_virk", "relocation_started", "relocated", "relocation_finished", "relocation_stopped"],
  systemSteps: ["system_warned", "system_deactivated", "system_reactivated"],
} as const satisfies Record<string, readonly EventType[]>;
export type KindGroup = keyof typeof KIND_GROUPS;

/** The `GET …/events` query for these filters (without paging): whole Danish days, `to` inclusive of its day. */
export function eventQuery(f: LogFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.recipientSystemId) q.set("recipientSystemId", f.recipientSystemId);
  if (f.kind.startsWith("g:")) {
    const group = KIND_GROUPS[f.kind.slice(2) as KindGroup] as readonly string[] | undefined;
    if (group) q.set("type", group.join(","));
  } else if (f.kind) q.set("type", f.kind);
  if (f.from) q.set("from", danishDayBoundary(f.from, false));
  if (f.to) q.set("to", new Date(Date.parse(danishDayBoundary(f.to, true)) + 1).toISOString());
  return q;
}
