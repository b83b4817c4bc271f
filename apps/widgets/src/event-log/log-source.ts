import type { AuthorityStatus, Event, MessageSummary, Page, RelocationTarget } from "../shared/api-types.ts";
import { eventQuery, NO_FILTERS, type LogFilters } from "./log-filters.ts";

type Get = <T>(path: string) => Promise<T>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The names the log shows for ids: the authority's systems (from its status) and contact points (from the relocation targets). */
export async function loadNames(
  get: Get,
  authorityPath: string,
): Promise<{ systems: { id: string; name: string }[]; contactPoints: Map<string, string> }> {
  const [status, targets] = await Promise.all([
    get<AuthorityStatus>(`${authorityPath}/status`),
    get<Page<RelocationTarget>>(`${authorityPath}/relocation-targets`),
  ]);
  return {
    systems: status.systems.map((s) => ({ id: s.id, name: s.name })),
    contactPoints: new Map(targets.items.map((c) => [c.contactPointId, c.name])),
  };
}

/** What the finder's query names: a UUID to open at once, or the messages with exactly that title. */
export async function lookUp(get: Get, authorityPath: string, query: string): Promise<{ uuid: string } | { found: MessageSummary[] }> {
  const q = query.trim();
  if (UUID.test(q)) return { uuid: q.toLowerCase() };
  const page = await get<Page<MessageSummary>>(`${authorityPath}/messages?label=${encodeURIComponent(q)}&limit=50`);
  return { found: page.items };
}

/** The list's keyset paging: the applied filters and the cursor each page was fetched with. */
export class EventPager {
  #filters: LogFilters = NO_FILTERS;
  #cursors: (string | null)[] = [null];

  /** Starts again from the first page, with these filters. */
  apply(filters: LogFilters): void {
    this.#filters = filters;
    this.#cursors = [null];
  }

  /** Fetches page `index` (0 = newest) and notes where the next one starts. */
  async page(get: Get, authorityPath: string, index: number, limit: number): Promise<Page<Event>> {
    const q = eventQuery(this.#filters);
    q.set("limit", String(limit));
    const cursor = this.#cursors[index];
    if (cursor) q.set("cursor", cursor);
    const page = await get<Page<Event>>(`${authorityPath}/events?${q.toString()}`);
    this.#cursors[index + 1] = page.nextCursor;
    return page;
  }
}
