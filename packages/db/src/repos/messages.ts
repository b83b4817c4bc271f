import type { Selectable } from "kysely";
import type { AttemptsTable, MessagesTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** Stores many new messages in one statement; returns the UUIDs stored (known UUIDs are skipped). */
export async function insertMessages(db: Db, rows: readonly MessagesTable[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const r = await db.insertInto("messages").values([...rows]).onConflict((oc) => oc.column("uuid").doNothing()).returning("uuid").execute();
  return new Set(r.map((x) => x.uuid));
}

/** Message columns without the body, for listings and status. */
export type MessageMeta = Omit<MessagesTable, "body">;

const META_COLUMNS = [
  "uuid", "authority_cvr", "sender_key_id", "sender_id", "label", "memo_version", "body_sha256",
  "size_bytes", "attachment_count", "original_contact_point_id", "route_reason", "route_contact_point_id",
  "custodian_kind", "custodian_system_id", "state", "received_at", "release_at", "queued_at", "next_attempt_at",
  "attempt_count", "first_failed_at", "last_attempt_at", "claim_token", "claimed_until", "delivered_at",
  "receipt_status", "receipt_error", "recalled_at",
] as const satisfies readonly (keyof MessageMeta)[];

/** A message's columns without its body, or undefined. */
export function findMessageMeta(db: Db, uuid: string): Promise<MessageMeta | undefined> {
  return db.selectFrom("messages").select(META_COLUMNS).where("uuid", "=", uuid).executeTakeFirst();
}

/** A message's original bytes, or undefined. */
export async function findMessageBody(db: Db, uuid: string): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom("messages").select("body").where("uuid", "=", uuid).executeTakeFirst();
  return row ? toBytes(row.body) : undefined;
}

/** Several messages' original bytes at once, by UUID. */
export async function findMessageBodies(db: Db, uuids: readonly string[]): Promise<Map<string, Uint8Array>> {
  if (uuids.length === 0) return new Map();
  const rows = await db.selectFrom("messages").select(["uuid", "body"]).where("uuid", "in", uuids).execute();
  return new Map(rows.map((r) => [r.uuid, toBytes(r.body)]));
}

/** A message's delivery attempts in order. */
export function listAttempts(db: Db, uuid: string): Promise<Selectable<AttemptsTable>[]> {
  return db.selectFrom("attempts").selectAll().where("message_uuid", "=", uuid).orderBy("id").execute();
}

/** libSQL returns BLOBs as ArrayBuffer; callers want bytes. */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError("not a BLOB");
}
