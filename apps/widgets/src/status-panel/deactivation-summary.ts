import type { Event } from "../shared/api-types.ts";

/** What a deactivation did with the system's post, read from its `system_deactivated` event. */
export interface DeactivationSummary {
  deactivatedAt: string;
  moved: number;
  destination: { kind: "primary"; systemName: string } | { kind: "virk" };
}

/** Reads a `system_deactivated` event's moved count and destination; null if it has none. */
export function summaryOf(event: Event | undefined, deactivatedAt: string): DeactivationSummary | null {
  if (!event) return null;
  const { moved, destination } = event.data as { moved?: unknown; destination?: { kind?: unknown; systemName?: unknown } };
  if (typeof moved !== "number") return null;
  const dest =
    destination?.kind === "primary" && typeof destination.systemName === "string"
      ? { kind: "primary" as const, systemName: destination.systemName }
      : { kind: "virk" as const };
  return { deactivatedAt, moved, destination: dest };
}
