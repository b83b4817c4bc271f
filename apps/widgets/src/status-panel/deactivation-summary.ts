import type { AuthorityStatus, Event, Page } from "../shared/api-types.ts";

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

/**
 * For each deactivated system whose deactivation (`asked`: system id → deactivatedAt) was not asked about yet,
 * reads its `system_deactivated` event with `readEvents(query)`: [id, summary], null where the event could not
 * be read (forgotten in `asked`, so it is asked again next time).
 */
export async function loadSummaries(
  status: AuthorityStatus,
  asked: Map<string, string>,
  readEvents: (query: string) => Promise<Page<Event>>,
): Promise<(readonly [string, DeactivationSummary | null])[]> {
  const wanted = status.systems.filter((s) => s.state === "deactivated" && s.deactivatedAt && asked.get(s.id) !== s.deactivatedAt);
  for (const s of wanted) asked.set(s.id, s.deactivatedAt ?? "");
  return Promise.all(
    wanted.map(async (s) => {
      try {
        const page = await readEvents(`type=system_deactivated&recipientSystemId=${encodeURIComponent(s.id)}&limit=1`);
        return [s.id, summaryOf(page.items[0], s.deactivatedAt ?? "")] as const;
      } catch {
        // Without the event the card still says when and why the system was deactivated; ask again next time.
        asked.delete(s.id);
        return [s.id, null] as const;
      }
    }),
  );
}
