import { sql, type Selectable, type Updateable } from "kysely";
import type { RedeliveryColumns } from "@postvej/core/lifecycle";
import type { EventsTable, MessagesTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/**
 * Writes a manual redelivery (the lifecycle's `redeliver`) on one message, only while it is still
 * in `guard` state at system `systemId`; false when it no longer is (it moved, or its state changed).
 */
export async function redeliverMessage(
  db: Db,
  uuid: string,
  systemId: string,
  guard: "queued" | "delivered",
  next: RedeliveryColumns,
): Promise<boolean> {
  const set: Updateable<MessagesTable> = { state: next.state };
  if (next.nextAttemptAt !== undefined) set.next_attempt_at = next.nextAttemptAt;
  if (next.queuedAt !== undefined) set.queued_at = next.queuedAt;
  if (next.firstFailedAt !== undefined) set.first_failed_at = next.firstFailedAt;
  if (next.claimToken !== undefined) set.claim_token = next.claimToken;
  if (next.claimedUntil !== undefined) set.claimed_until = next.claimedUntil;
  const r = await db
    .updateTable("messages")
    .set(set)
    .where("uuid", "=", uuid)
    .where("custodian_system_id", "=", systemId)
    .where("state", "=", guard)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Makes up to `limit` of a push system's queued messages that wait for a later attempt due at `now`
 * (domain time), oldest due first, through `messages_due_by_system`; a message whose push is in
 * flight (claimed until after `leaseNow`, wall-clock time) is left to its run. Returns how many it
 * made due and whether more such messages remain.
 */
export async function makeSystemDueNow(
  db: Db,
  systemId: string,
  o: { now: string; leaseNow: string; limit: number },
): Promise<{ madeDue: number; more: boolean }> {
  const waiting = (limit: number) => sql`
    SELECT uuid FROM messages INDEXED BY messages_due_by_system
    WHERE custodian_system_id = ${systemId} AND state = 'queued' AND next_attempt_at IS NOT NULL AND next_attempt_at > ${o.now}
      AND (claimed_until IS NULL OR claimed_until < ${o.leaseNow})
    ORDER BY next_attempt_at LIMIT ${limit}`;
  const r = await sql`UPDATE messages SET next_attempt_at = ${o.now} WHERE uuid IN (${waiting(o.limit)})`.execute(db);
  const left = await waiting(1).execute(db);
  return { madeDue: Number(r.numAffectedRows ?? 0n), more: left.rows.length > 0 };
}

/** A system's last failed attempt, or undefined (one seek through `attempts_failed_by_system`). */
export async function lastFailureOn(
  db: Db,
  systemId: string,
): Promise<{ message_uuid: string; at: string; status_code: number | null; error: string | null; duration_ms: number } | undefined> {
  const r = await sql<{ message_uuid: string; at: string; status_code: number | null; error: string | null; duration_ms: number }>`
    SELECT message_uuid, at, status_code, error, duration_ms FROM attempts INDEXED BY attempts_failed_by_system
    WHERE recipient_system_id = ${systemId} AND outcome = 'failed'
    ORDER BY id DESC LIMIT 1`.execute(db);
  return r.rows[0];
}

/** A message's last manual redelivery event, or undefined (through `events_message`: a message has few events). */
export function lastManualRedelivery(db: Db, uuid: string): Promise<Selectable<EventsTable> | undefined> {
  return db
    .selectFrom("events")
    .selectAll()
    .where("message_uuid", "=", uuid)
    .where("type", "=", "manual_redelivery")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** A system's last retry-now event, or undefined (one seek through `events_retry_now`). */
export async function lastRetryNow(db: Db, systemId: string): Promise<Selectable<EventsTable> | undefined> {
  const r = await sql<Selectable<EventsTable>>`
    SELECT * FROM events INDEXED BY events_retry_now
    WHERE recipient_system_id = ${systemId} AND type = 'retry_now'
    ORDER BY id DESC LIMIT 1`.execute(db);
  return r.rows[0];
}
