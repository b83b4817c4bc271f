import type { Event, MessageDetail, Page, Relocation } from "../shared/api-types.ts";
import type { LoggedEvent } from "./event-text.ts";

/** The system-level kinds a message's trace shows for the systems it passed through. */
const SYSTEM_STEPS = "system_warned,system_deactivated,system_reactivated";

/** One message's trace: the message, its own events and its systems' warnings and deactivations in time order, and who ran its relocations. */
export interface Trace {
  message: MessageDetail;
  steps: (LoggedEvent & { systemStep: boolean })[];
  relocationActors: ReadonlyMap<string, string>;
}

type Get = <T>(path: string) => Promise<T>;

/** The systems a message was with: those its events name, and those it was moved away from. */
function systemsOf(m: MessageDetail): string[] {
  const ids = new Set<string>();
  for (const e of m.events) {
    if (e.recipientSystemId) ids.add(e.recipientSystemId);
    if (e.type === "rerouted" && typeof e.data["from"] === "string") ids.add(e.data["from"]);
  }
  return [...ids];
}

/** The end of the message's life for its systems' steps: its delivery (or its last event in Virk); open while it waits. */
function windowEnd(m: MessageDetail): string | null {
  const last = m.deliveredAt ?? (m.state === "in_virk" || m.state === "recalled" ? (m.events.at(-1)?.at ?? null) : null);
  return last ? new Date(Date.parse(last) + 1).toISOString() : null;
}

/** Loads a message's trace through the authority's API (`…/messages/{uuid}`, `…/events`, `…/relocations/{id}`). */
export async function loadTrace(get: Get, authorityPath: string, uuid: string): Promise<Trace> {
  const message = await get<MessageDetail>(`${authorityPath}/messages/${encodeURIComponent(uuid)}`);
  const end = windowEnd(message);
  const window = `from=${encodeURIComponent(message.receivedAt)}${end ? `&to=${encodeURIComponent(end)}` : ""}`;
  const systemPages = await Promise.all(
    systemsOf(message).map((id) =>
      get<Page<Event>>(`${authorityPath}/events?recipientSystemId=${encodeURIComponent(id)}&type=${SYSTEM_STEPS}&${window}&limit=50`),
    ),
  );
  const relocationIds = [...new Set(message.events.filter((e) => e.type === "relocated").map((e) => String(e.data["relocationId"] ?? "")))];
  const relocations = await Promise.all(
    relocationIds.filter(Boolean).map((id) => get<Relocation>(`${authorityPath}/relocations/${encodeURIComponent(id)}`)),
  );
  const own = message.events.map((e, i) => ({ ...e, messageUUID: message.messageUUID, systemStep: false, order: 1_000_000 + i }));
  const systems = systemPages.flatMap((p) => p.items.map((e) => ({ ...e, systemStep: true, order: e.id })));
  // Time order; at the same instant a system's step (a deactivation) comes before what it did to the message.
  const steps = [...own, ...systems]
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.systemStep !== b.systemStep ? (a.systemStep ? -1 : 1) : a.order - b.order))
    .map(({ order: _order, ...e }) => e);
  return { message, steps, relocationActors: new Map(relocations.map((r) => [r.id, r.actor.name])) };
}
