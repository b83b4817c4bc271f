import type { Kysely, Selectable } from "kysely";
import { isConstraintViolation } from "../constraint-error.ts";
import { executeBatch } from "../libsql-dialect.ts";
import type { AttemptsTable, BodyEncoding, Database, MessageRow, MessagesTable } from "../schema.ts";
import { inTransaction, type Db } from "./db-handle.ts";
import { compiledEventsInsert, eventsInsert, type NewEvent } from "./events.ts";
import { insertRows } from "./insert-rows.ts";

/** A new message with the events that record its arrival. */
export type NewMessage = { row: MessagesTable; events: readonly NewEvent[] };

/**
 * Stores new messages, each with its events or not at all, and returns the UUIDs stored; a UUID
 * already stored (or twice in `messages`: the first counts) is skipped with its events.
 *
 * The common case, all of them new, is one batch (one round trip); when a UUID turns out to be
 * known, the batch changes nothing and a transaction stores the new ones.
 */
export async function storeNewMessages(db: Kysely<Database>, messages: readonly NewMessage[]): Promise<Set<string>> {
  const firsts = new Map<string, NewMessage>();
  for (const m of messages) if (!firsts.has(m.row.uuid)) firsts.set(m.row.uuid, m);
  const unique = [...firsts.values()];
  if (unique.length === 0) return new Set();
  const events = unique.flatMap((m) => m.events);
  try {
    const rows = unique.map((m) => rowOf(m.row));
    const inserts = [
      insertRows("messages", rows, () => db.insertInto("messages").values(rows).compile()),
      bodiesInsert(db, unique).compile(),
    ];
    await executeBatch(db, events.length > 0 ? [...inserts, compiledEventsInsert(db, events)] : inserts);
    return new Set(firsts.keys());
  } catch (err) {
    // A known UUID failed the batch, which changed nothing: store the new ones below, skipping the
    // known. Anything else (a database that timed out or went away) is the caller's to answer:
    // retrying it here would hold the request for another round of deadlines.
    if (!isConstraintViolation(err)) throw err;
  }
  return inTransaction(db, async (tx) => {
    const r = await tx
      .insertInto("messages")
      .values(unique.map((m) => rowOf(m.row)))
      .onConflict((oc) => oc.column("uuid").doNothing())
      .returning("uuid")
      .execute();
    const stored = new Set(r.map((x) => x.uuid));
    const storedMessages = unique.filter((m) => stored.has(m.row.uuid));
    if (storedMessages.length > 0) await bodiesInsert(tx, storedMessages).execute();
    const storedEvents = unique.filter((m) => stored.has(m.row.uuid)).flatMap((m) => m.events);
    if (storedEvents.length > 0) await eventsInsert(tx, storedEvents).execute();
    return stored;
  });
}

/** A message's `messages` columns: all but its body (kept apart, in `message_bodies`). */
function rowOf(m: MessagesTable): MessageRow {
  const { body: _body, body_encoding: _encoding, ...row } = m;
  return row;
}

/** The insert of new messages' bytes into `message_bodies`, as stored (see `body_encoding`). */
function bodiesInsert(db: Db, messages: readonly NewMessage[]) {
  return db
    .insertInto("message_bodies")
    .values(messages.map((m) => ({ uuid: m.row.uuid, body: m.row.body, encoding: m.row.body_encoding ?? "identity" })));
}

/** Message columns without the body, for listings and status. */
export type MessageMeta = MessageRow;

/** The messages columns but the body, in the table's order. */
export const MESSAGE_META_COLUMNS = [
  "uuid",
  "authority_cvr",
  "sender_key_id",
  "sender_id",
  "sender_label",
  "label",
  "memo_version",
  "body_sha256",
  "size_bytes",
  "attachment_count",
  "original_contact_point_id",
  "route_reason",
  "route_contact_point_id",
  "custodian_kind",
  "custodian_system_id",
  "state",
  "received_at",
  "release_at",
  "queued_at",
  "next_attempt_at",
  "attempt_count",
  "first_failed_at",
  "last_attempt_at",
  "claim_token",
  "claimed_until",
  "delivered_at",
  "receipt_status",
  "receipt_error",
  "recalled_at",
] as const satisfies readonly (keyof MessageMeta)[];

/** The delivery columns of a message that has not been attempted, delivered, receipted or recalled. */
export const NOT_YET_DELIVERED = {
  attempt_count: 0,
  first_failed_at: null,
  last_attempt_at: null,
  claim_token: null,
  claimed_until: null,
  delivered_at: null,
  receipt_status: null,
  receipt_error: null,
  recalled_at: null,
} as const satisfies Partial<MessagesTable>;

/** A message's columns without its body, or undefined. */
export function findMessageMeta(db: Db, uuid: string): Promise<MessageMeta | undefined> {
  return db.selectFrom("messages").select(MESSAGE_META_COLUMNS).where("uuid", "=", uuid).executeTakeFirst();
}

/** A message's bytes as stored: `encoding` says how to read them back to the `sizeBytes` original ones. */
export type StoredBody = { body: Uint8Array; encoding: BodyEncoding; sizeBytes: number };

/** The columns a {@link StoredBody} is read from, in any query joining `message_bodies` to `messages`. */
export const STORED_BODY_COLUMNS = ["message_bodies.body", "message_bodies.encoding", "messages.size_bytes"] as const;

/** A {@link StoredBody} of a row selected with {@link STORED_BODY_COLUMNS}. */
export function storedBody(row: { body: unknown; encoding: BodyEncoding; size_bytes: number }): StoredBody {
  return { body: toBytes(row.body), encoding: row.encoding, sizeBytes: row.size_bytes };
}

/** A message's bytes as stored, or undefined. */
export async function findMessageBody(db: Db, uuid: string): Promise<StoredBody | undefined> {
  const row = await db
    .selectFrom("message_bodies")
    .innerJoin("messages", "messages.uuid", "message_bodies.uuid")
    .select(STORED_BODY_COLUMNS)
    .where("message_bodies.uuid", "=", uuid)
    .executeTakeFirst();
  return row ? storedBody(row) : undefined;
}

/** Several messages' bytes as stored, at once, by UUID. */
export async function findMessageBodies(db: Db, uuids: readonly string[]): Promise<Map<string, StoredBody>> {
  if (uuids.length === 0) return new Map();
  const rows = await db
    .selectFrom("message_bodies")
    .innerJoin("messages", "messages.uuid", "message_bodies.uuid")
    .select(["message_bodies.uuid", ...STORED_BODY_COLUMNS])
    .where("message_bodies.uuid", "in", uuids)
    .execute();
  return new Map(rows.map((r) => [r.uuid, storedBody(r)]));
}

/** A message's delivery attempts in order. */
export function listAttempts(db: Db, uuid: string): Promise<Selectable<AttemptsTable>[]> {
  return db.selectFrom("attempts").selectAll().where("message_uuid", "=", uuid).orderBy("id").execute();
}

/** An authority's messages whose MeMo label is exactly `label`, newest first, paged after `(receivedAt, uuid)`. */
export function findMessagesByLabel(
  db: Db,
  cvr: string,
  label: string,
  opts: { limit: number; before?: { receivedAt: string; uuid: string } },
): Promise<Pick<MessageMeta, "uuid" | "label" | "sender_id" | "state" | "received_at" | "custodian_system_id">[]> {
  let q = db
    .selectFrom("messages")
    .select(["uuid", "label", "sender_id", "state", "received_at", "custodian_system_id"])
    .where("authority_cvr", "=", cvr)
    .where("label", "=", label);
  const b = opts.before;
  if (b)
    q = q.where((eb) =>
      eb.or([eb("received_at", "<", b.receivedAt), eb.and([eb("received_at", "=", b.receivedAt), eb("uuid", "<", b.uuid)])]),
    );
  return q.orderBy("received_at", "desc").orderBy("uuid", "desc").limit(opts.limit).execute();
}

/** libSQL returns BLOBs as ArrayBuffer; callers want bytes. */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError("not a BLOB");
}
