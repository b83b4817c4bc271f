import { EVENT_TYPE, type EventType } from "@postvej/core/delivery";
import type { CompiledQuery, Selectable } from "kysely";
import type { EventsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";
import { insertRows } from "./insert-rows.ts";

/** One event to append. */
export type NewEvent = {
  authorityCvr: string;
  at: string;
  type: EventType;
  messageUuid?: string | null;
  recipientSystemId?: string | null;
  data?: Record<string, unknown>;
};

/** Appends events to the log (never updated, never deleted). */
export async function appendEvents(db: Db, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await eventsInsert(db, events).execute();
}

/** The statement that appends `events` (at least one), to run or to batch. */
export function eventsInsert(db: Db, events: readonly NewEvent[]) {
  return db.insertInto("events").values(events.map(eventRow));
}

/** The same statement compiled, its text made once per number of events (for write batches). */
export function compiledEventsInsert(db: Db, events: readonly NewEvent[]): CompiledQuery {
  const rows = events.map(eventRow);
  return insertRows("events", rows, () => db.insertInto("events").values(rows).compile());
}

function eventRow(e: NewEvent) {
  return {
    authority_cvr: e.authorityCvr,
    at: e.at,
    type: e.type,
    message_uuid: e.messageUuid ?? null,
    recipient_system_id: e.recipientSystemId ?? null,
    data: JSON.stringify(e.data ?? {}),
  };
}

/**
 * Appends the events of which the log has none yet of the same type, message and recipient system
 * (e.g. `converted`: once per message and system). Run it in the transaction that makes the change.
 */
export async function appendEventsOnce(db: Db, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const uuids = [...new Set(events.map((e) => e.messageUuid).filter((u): u is string => !!u))];
  const types = [...new Set(events.map((e) => e.type))];
  const have =
    uuids.length === 0
      ? []
      : await db
          .selectFrom("events")
          .select(["message_uuid", "recipient_system_id", "type"])
          .where("message_uuid", "in", uuids)
          .where("type", "in", types)
          .execute();
  const key = (type: string, uuid: string | null | undefined, system: string | null | undefined) =>
    `${type}\u0000${uuid ?? ""}\u0000${system ?? ""}`;
  const seen = new Set(have.map((h) => key(h.type, h.message_uuid, h.recipient_system_id)));
  const fresh: NewEvent[] = [];
  for (const e of events) {
    const k = key(e.type, e.messageUuid, e.recipientSystemId);
    if (seen.has(k)) continue;
    seen.add(k);
    fresh.push(e);
  }
  await appendEvents(db, fresh);
}

/** A message's events in order. */
export function listMessageEvents(db: Db, messageUuid: string): Promise<Selectable<EventsTable>[]> {
  return db.selectFrom("events").selectAll().where("message_uuid", "=", messageUuid).orderBy("id").execute();
}

/** What `listAuthorityEvents` narrows the log to; every filter given must hold. */
export type EventFilter = {
  limit: number;
  beforeId?: number;
  types?: readonly string[];
  recipientSystemId?: string;
  messageUuid?: string;
  /** Inclusive ISO time. */
  from?: string;
  /** Exclusive ISO time. */
  to?: string;
};

/** An authority's events, newest first, paged by id, narrowed by type(s), system, message and time window. */
export function listAuthorityEvents(db: Db, cvr: string, opts: EventFilter): Promise<Selectable<EventsTable>[]> {
  let q = db.selectFrom("events").selectAll().where("authority_cvr", "=", cvr);
  if (opts.beforeId !== undefined) q = q.where("id", "<", opts.beforeId);
  if (opts.types && opts.types.length > 0) q = q.where("type", "in", opts.types);
  if (opts.recipientSystemId) q = q.where("recipient_system_id", "=", opts.recipientSystemId);
  if (opts.messageUuid) q = q.where("message_uuid", "=", opts.messageUuid);
  if (opts.from) q = q.where("at", ">=", opts.from);
  if (opts.to) q = q.where("at", "<", opts.to);
  return q.orderBy("id", "desc").limit(opts.limit).execute();
}

/** How many distinct messages landed in an authority's Virk mailbox in (`after`, `until`], and the first such time. */
export function landedInVirkBetween(
  db: Db,
  cvr: string,
  after: string,
  until: string,
): Promise<{ count: number; firstAt: string } | undefined> {
  return db
    .selectFrom("events")
    .select((eb) => [eb.fn.count<number>("message_uuid").distinct().as("count"), eb.fn.min<string>("at").as("firstAt")])
    .where("authority_cvr", "=", cvr)
    .where("type", "=", EVENT_TYPE.landedInVirk)
    .where("at", ">", after)
    .where("at", "<=", until)
    .executeTakeFirst();
}
