import { type ExpressionBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { Database } from "../schema.ts";
import type { Db } from "./db-handle.ts";
import { STORED_BODY_COLUMNS, storedBody, type StoredBody } from "./messages.ts";

/** Filters over an authority's Virk mailbox; every given one applies (AND). Times are ISO UTC. */
export type VirkFilter = {
  /** Received at or after. */
  receivedFrom?: string;
  /** Received at or before (inclusive, so a day's last millisecond selects the whole day). */
  receivedTo?: string;
  originalContactPointId?: string;
  senderId?: string;
  /** Only these messages. */
  uuids?: readonly string[];
};

/** The keyset position of a Virk listing: (received_at, uuid), newest first. */
export type VirkKey = { receivedAt: string; uuid: string };

/** One message in the Virk mailbox, with where it was addressed and why it landed. */
export type VirkRow = {
  uuid: string;
  label: string | null;
  sender_id: string | null;
  sender_label: string | null;
  received_at: string;
  original_contact_point_id: string | null;
  original_contact_point_name: string | null;
  landed_at: string | null;
  landed_data: string | null;
};

type MessagesQuery<O> = SelectQueryBuilder<Database, "messages", O>;

/** Restricts a query over `messages` to an authority's Virk post matching the filter (uses `messages_virk`). */
export function whereInVirk<O>(q: MessagesQuery<O>, cvr: string, f: VirkFilter): MessagesQuery<O> {
  // With chosen UUIDs, `+` keeps SQLite on the primary key instead of scanning the mailbox through `messages_virk`.
  let r = q
    .where(f.uuids !== undefined ? sql<string>`+messages.authority_cvr` : sql.ref<string>("messages.authority_cvr"), "=", cvr)
    .where("messages.state", "=", "in_virk");
  if (f.receivedFrom !== undefined) r = r.where("messages.received_at", ">=", f.receivedFrom);
  if (f.receivedTo !== undefined) r = r.where("messages.received_at", "<=", f.receivedTo);
  if (f.originalContactPointId !== undefined) r = r.where("messages.original_contact_point_id", "=", f.originalContactPointId);
  if (f.senderId !== undefined) r = r.where("messages.sender_id", "=", f.senderId);
  if (f.uuids !== undefined) r = r.where("messages.uuid", "in", f.uuids.length ? [...f.uuids] : [""]);
  return r;
}

const latestLanded = (column: "at" | "data") => (eb: ExpressionBuilder<Database, "messages">) =>
  eb
    .selectFrom("events as e")
    .select(`e.${column}`)
    .whereRef("e.message_uuid", "=", "messages.uuid")
    .where("e.type", "=", "landed_in_virk")
    .orderBy("e.id", "desc")
    .limit(1);

/**
 * A page of an authority's Virk mailbox, newest first, keyset-paged on (received_at, uuid), with
 * the original contact point's name and the latest `landed_in_virk` event (when and why).
 */
export function listVirkMessages(db: Db, cvr: string, f: VirkFilter, page: { limit: number; after?: VirkKey }): Promise<VirkRow[]> {
  let q = whereInVirk(db.selectFrom("messages"), cvr, f);
  const after = page.after;
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb("messages.received_at", "<", after.receivedAt),
        eb.and([eb("messages.received_at", "=", after.receivedAt), eb("messages.uuid", "<", after.uuid)]),
      ]),
    );
  }
  return q
    .leftJoin("contact_points as cp", (j) =>
      j.onRef("cp.id", "=", "messages.original_contact_point_id").onRef("cp.authority_cvr", "=", "messages.authority_cvr"),
    )
    .select((eb) => [
      "messages.uuid",
      "messages.label",
      "messages.sender_id",
      "messages.sender_label",
      "messages.received_at",
      "messages.original_contact_point_id",
      "cp.name as original_contact_point_name",
      latestLanded("at")(eb).as("landed_at"),
      latestLanded("data")(eb).as("landed_data"),
    ])
    .orderBy("messages.received_at", "desc")
    .orderBy("messages.uuid", "desc")
    .limit(page.limit)
    .execute();
}

/** How many messages in the authority's Virk mailbox match the filter. */
export async function countVirkMessages(db: Db, cvr: string, f: VirkFilter): Promise<number> {
  const row = await whereInVirk(db.selectFrom("messages"), cvr, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One message of the authority's Virk mailbox, as listed, or undefined (elsewhere or another authority's). */
export async function findVirkMessage(db: Db, cvr: string, uuid: string): Promise<VirkRow | undefined> {
  const rows = await listVirkMessages(db, cvr, { uuids: [uuid] }, { limit: 1 });
  return rows[0];
}

/** The bytes as stored of the authority's Virk messages among `uuids` (for headers not kept in columns). */
export async function virkMessageBodies(db: Db, cvr: string, uuids: readonly string[]): Promise<Map<string, StoredBody>> {
  if (uuids.length === 0) return new Map();
  const rows = await whereInVirk(db.selectFrom("messages"), cvr, { uuids })
    .innerJoin("message_bodies", "message_bodies.uuid", "messages.uuid")
    .select(["messages.uuid", ...STORED_BODY_COLUMNS])
    .execute();
  return new Map(rows.map((r) => [r.uuid, storedBody(r)]));
}

/** The selected Virk messages as the relocation planner needs them, oldest first. */
export function selectVirkForPlan(
  db: Db,
  cvr: string,
  f: VirkFilter,
): Promise<{ uuid: string; original_contact_point_id: string | null }[]> {
  return whereInVirk(db.selectFrom("messages"), cvr, f)
    .select(["messages.uuid", "messages.original_contact_point_id"])
    .orderBy("messages.received_at")
    .orderBy("messages.uuid")
    .execute();
}

/** Of `uuids`, those claimed by a relocation still pending (another job is moving them). */
export async function pendingElsewhere(db: Db, uuids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < uuids.length; i += 1000) {
    const rows = await db
      .selectFrom("relocation_items")
      .select("message_uuid")
      .where("outcome", "=", "pending")
      .where("message_uuid", "in", uuids.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.add(r.message_uuid);
  }
  return out;
}
