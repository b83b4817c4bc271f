import { sql, type RawBuilder, type Updateable } from "kysely";
import type { AfterPush, Move } from "@postvej/core/lifecycle";
import type { MessagesTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** A message claimed for one push attempt. */
export type ClaimedMessage = {
  uuid: string;
  authority_cvr: string;
  custodian_system_id: string;
  attempt_count: number;
  route_contact_point_id: string | null;
  first_failed_at: string | null;
  size_bytes: number;
  /** The message's MeMo version ("1.1" or "1.2"), to tell whether its system needs it converted. */
  memo_version: string;
};

/**
 * Claims due push messages for one run, system by system: a fair share of `limit` each first, then
 * the rest by oldest due work, never more than `perSystemLimit` for one system (each system's
 * oldest due first, through `messages_due_by_system`). So a dead system's backlog never crowds
 * out the others. The claim (token + lease) keeps
 * a concurrent run from sending the same message at the same time; a crashed run's claims lapse.
 * `now` is domain time (what is due); `leaseNow` and `leaseUntil` are wall-clock time, because a
 * lease guards real pushes in flight and must not lapse when a simulated clock jumps.
 */
export async function claimDueMessages(
  db: Db,
  o: { now: string; leaseNow: string; limit: number; perSystemLimit: number; leaseUntil: string; token: string; systemId?: string },
): Promise<ClaimedMessage[]> {
  let systems = db.selectFrom("recipient_systems").select("id").where("state", "=", "active").where("protocol", "=", "REST_PUSH");
  if (o.systemId) systems = systems.where("id", "=", o.systemId);
  const oldest: { id: string; due: string }[] = [];
  for (const { id } of await systems.execute()) {
    const r = await sql<{ due: string }>`
      SELECT next_attempt_at AS due FROM messages INDEXED BY messages_due_by_system
      WHERE custodian_system_id = ${id} AND state = 'queued' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ${o.now}
        AND (claimed_until IS NULL OR claimed_until < ${o.leaseNow})
      ORDER BY next_attempt_at LIMIT 1`.execute(db);
    if (r.rows[0]) oldest.push({ id, due: r.rows[0].due });
  }
  oldest.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  // Every system with due work gets its fair share of the run first; what is left goes to the
  // oldest due work, up to the per-system cap.
  const fair = Math.max(1, Math.floor(o.limit / Math.max(1, oldest.length)));
  const claimed: ClaimedMessage[] = [];
  const taken = new Map<string, number>();
  for (const pass of [fair, o.perSystemLimit]) {
    for (const { id } of oldest) {
      const room = Math.min(pass - (taken.get(id) ?? 0), o.perSystemLimit - (taken.get(id) ?? 0), o.limit - claimed.length);
      if (room <= 0) continue;
      const r = await sql<ClaimedMessage>`
        UPDATE messages SET claim_token = ${o.token}, claimed_until = ${o.leaseUntil}
        WHERE uuid IN (
          SELECT uuid FROM messages INDEXED BY messages_due_by_system
          WHERE custodian_system_id = ${id} AND state = 'queued' AND next_attempt_at IS NOT NULL AND next_attempt_at <= ${o.now}
            AND (claimed_until IS NULL OR claimed_until < ${o.leaseNow})
          ORDER BY next_attempt_at LIMIT ${room}
        )
        RETURNING uuid, authority_cvr, custodian_system_id, attempt_count, route_contact_point_id, first_failed_at, size_bytes, memo_version`.execute(
        db,
      );
      claimed.push(...r.rows);
      taken.set(id, (taken.get(id) ?? 0) + r.rows.length);
    }
  }
  return claimed;
}

/** Extends a run's claims that are still its own and unexpired; returns those UUIDs (the rest it must not push). */
export async function renewClaims(db: Db, uuids: readonly string[], token: string, now: string, leaseUntil: string): Promise<Set<string>> {
  if (uuids.length === 0) return new Set();
  const r = await db
    .updateTable("messages")
    .set({ claimed_until: leaseUntil })
    .where("uuid", "in", uuids)
    .where("claim_token", "=", token)
    .where("claimed_until", ">", now)
    .where("state", "=", "queued")
    .returning("uuid")
    .execute();
  return new Set(r.map((x) => x.uuid));
}

/** Gives claimed messages back to be tried at `until` (their system could not be reached this run); no attempt is counted. */
export async function deferClaims(db: Db, uuids: readonly string[], token: string, until: string): Promise<void> {
  if (uuids.length === 0) return;
  await db
    .updateTable("messages")
    .set({ claim_token: null, claimed_until: null, next_attempt_at: until })
    .where("uuid", "in", uuids)
    .where("claim_token", "=", token)
    .where("state", "=", "queued")
    .execute();
}

/** Gives claimed messages back untouched (e.g. their system was deactivated meanwhile). */
export async function releaseClaims(db: Db, uuids: readonly string[], token: string): Promise<void> {
  if (uuids.length === 0) return;
  await db
    .updateTable("messages")
    .set({ claim_token: null, claimed_until: null })
    .where("uuid", "in", uuids)
    .where("claim_token", "=", token)
    .execute();
}

/** The earliest first failure among a system's undelivered messages (an index seek, not a scan). */
export async function oldestFailureOn(db: Db, systemId: string): Promise<string | null> {
  const row = await db
    .selectFrom("messages")
    .select("first_failed_at")
    .where("custodian_system_id", "=", systemId)
    .where("state", "=", "queued")
    .where("first_failed_at", "is not", null)
    .orderBy("first_failed_at")
    .limit(1)
    .executeTakeFirst();
  return row?.first_failed_at ?? null;
}

/** How many messages wait on a system (counts index entries; for status and notices, not every tick). */
export async function undeliveredCount(db: Db, systemId: string): Promise<number> {
  const row = await db
    .selectFrom("messages")
    .select((e) => e.fn.countAll<number>().as("n"))
    .where("custodian_system_id", "=", systemId)
    .where("state", "=", "queued")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Post never yet attempted that entered its queue before `cutoff` (through `messages_waiting`). */
export async function waitingSince(db: Db, systemId: string, cutoff: string, limit: number) {
  // Named, because the planner otherwise walks messages_custodian past every already-failed message.
  const r = await sql<{
    uuid: string;
    authority_cvr: string;
    attempt_count: number;
    claimed_until: string | null;
    release_at: string | null;
  }>`
    SELECT uuid, authority_cvr, attempt_count, claimed_until, release_at FROM messages INDEXED BY messages_waiting
    WHERE custodian_system_id = ${systemId} AND state = 'queued' AND first_failed_at IS NULL AND queued_at <= ${cutoff}
    ORDER BY queued_at LIMIT ${limit}`.execute(db);
  return r.rows;
}

/**
 * Undelivered (queued or held) messages of a system, for rerouting (oldest first, bounded); not one
 * whose claim is live at `leaseNow` (wall clock): its push is in flight and its outcome decides.
 */
export function undeliveredMessages(db: Db, systemId: string, o: { limit: number; leaseNow: string }) {
  return db
    .selectFrom("messages")
    .select(["uuid"])
    .where("custodian_system_id", "=", systemId)
    .where("state", "in", ["queued", "held"])
    .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", o.leaseNow)]))
    .orderBy("received_at")
    .limit(o.limit)
    .execute();
}

/** A system's messages whose first failure is at or before `before` (through `messages_failing`). */
export function failedSince(db: Db, systemId: string, before: string, limit: number) {
  return db
    .selectFrom("messages")
    .select(["uuid"])
    .where("custodian_system_id", "=", systemId)
    .where("state", "=", "queued")
    .where("first_failed_at", "is not", null)
    .where("first_failed_at", "<=", before)
    .orderBy("first_failed_at")
    .limit(limit)
    .execute();
}

/** One finished push for {@link recordPushOutcomes}: the message and the columns the lifecycle's `afterPush` gave it. */
export type PushOutcomeRow = { uuid: string; next: AfterPush };

/**
 * Writes many pushes' outcomes in two statements (delivered, failed), each row only while `token`
 * still holds its claim; returns the UUIDs actually updated.
 */
export async function recordPushOutcomes(db: Db, token: string, rows: readonly PushOutcomeRow[]): Promise<Set<string>> {
  const updated = new Set<string>();
  for (const { query } of pushOutcomeUpdates(token, rows)) {
    const r = await sql<{ uuid: string }>`${query} RETURNING messages.uuid`.execute(db);
    for (const x of r.rows) updated.add(x.uuid);
  }
  return updated;
}

/**
 * The UPDATEs that write pushes' outcomes (delivered ones, failed ones, up to 200 rows each), each
 * row only while `token` still holds its claim, with the number of rows each is given.
 */
export function pushOutcomeUpdates(token: string, rows: readonly PushOutcomeRow[]): { query: RawBuilder<unknown>; rows: number }[] {
  const delivered: { uuid: string; next: Extract<AfterPush, { state: "delivered" }> }[] = [];
  const failed: { uuid: string; next: Extract<AfterPush, { state: "queued" }> }[] = [];
  for (const { uuid, next } of rows) {
    if (next.state === "delivered") delivered.push({ uuid, next });
    else failed.push({ uuid, next });
  }
  const out: { query: RawBuilder<unknown>; rows: number }[] = [];
  for (let i = 0; i < delivered.length; i += 200) {
    const chunk = delivered.slice(i, i + 200);
    const values = sql.join(
      chunk.map(
        ({ uuid, next: n }) =>
          sql`(${uuid}, ${n.deliveredAt}, ${n.lastAttemptAt}, ${n.attemptCount}, ${n.receiptStatus}, ${n.receiptError})`,
      ),
    );
    const query = sql`
      UPDATE messages SET state = 'delivered', delivered_at = v.column2, last_attempt_at = v.column3, attempt_count = v.column4,
        receipt_status = v.column5, receipt_error = v.column6, next_attempt_at = NULL, claim_token = NULL, claimed_until = NULL
      FROM (VALUES ${values}) AS v
      WHERE messages.uuid = v.column1 AND messages.claim_token = ${token} AND messages.state = 'queued'`;
    out.push({ query, rows: chunk.length });
  }
  for (let i = 0; i < failed.length; i += 200) {
    const chunk = failed.slice(i, i + 200);
    const values = sql.join(
      chunk.map(({ uuid, next: n }) => sql`(${uuid}, ${n.lastAttemptAt}, ${n.attemptCount}, ${n.firstFailedAt}, ${n.nextAttemptAt})`),
    );
    const query = sql`
      UPDATE messages SET last_attempt_at = v.column2, attempt_count = v.column3, first_failed_at = v.column4,
        next_attempt_at = v.column5, claim_token = NULL, claimed_until = NULL
      FROM (VALUES ${values}) AS v
      WHERE messages.uuid = v.column1 AND messages.claim_token = ${token} AND messages.state = 'queued'`;
    out.push({ query, rows: chunk.length });
  }
  return out;
}

/** Counts an overdue pull as a failed attempt (the lifecycle's `pullOverdue`), once: only while the message has no failure yet. */
export async function markFirstFailure(
  db: Db,
  uuid: string,
  n: { firstFailedAt: string; attemptCount: number; lastAttemptAt: string },
): Promise<void> {
  await db
    .updateTable("messages")
    .set({ first_failed_at: n.firstFailedAt, attempt_count: n.attemptCount, last_attempt_at: n.lastAttemptAt })
    .where("uuid", "=", uuid)
    .where("first_failed_at", "is", null)
    .execute();
}

/** A custodian as the messages table names it, with the route reason it was chosen for. */
export type NewCustodian = { kind: "recipient_system"; systemId: string } | { kind: "virk" };

/**
 * Moves `uuids` (a chunk the caller bounds) off system `fromId` to `to`, as the lifecycle's `move`
 * says: held ones take the fresh custody (and stay held), queued ones enter the new queue too;
 * returns the UUIDs moved of each kind.
 */
export async function moveCustody(
  db: Db,
  fromId: string,
  uuids: readonly string[],
  to: NewCustodian,
  routeReason: string,
  m: Move,
): Promise<{ queued: string[]; held: string[] }> {
  const changes: Updateable<MessagesTable> = { ...custodyColumns(to, m), route_reason: routeReason };
  const held = await db
    .updateTable("messages")
    .set(changes)
    .where("uuid", "in", uuids)
    .where("custodian_system_id", "=", fromId)
    .where("state", "=", "held")
    .returning(["uuid"])
    .execute();
  const queued = await db
    .updateTable("messages")
    .set({ ...changes, state: m.queued.state, next_attempt_at: m.queued.nextAttemptAt })
    .where("uuid", "in", uuids)
    .where("custodian_system_id", "=", fromId)
    .where("state", "=", "queued")
    .returning(["uuid"])
    .execute();
  return { queued: queued.map((x) => x.uuid), held: held.map((x) => x.uuid) };
}

/** The message columns of a fresh custody at `to` (see the lifecycle's `Move`). */
export function custodyColumns(to: NewCustodian, m: Move) {
  return {
    custodian_kind: to.kind,
    custodian_system_id: to.kind === "virk" ? null : to.systemId,
    queued_at: m.custody.queuedAt,
    claim_token: m.custody.claimToken,
    claimed_until: m.custody.claimedUntil,
    first_failed_at: m.custody.firstFailedAt,
    attempt_count: m.custody.attemptCount,
  } satisfies Updateable<MessagesTable>;
}
