import type { Move } from "@postvej/core/lifecycle";
import { sql, type Selectable } from "kysely";
import type { RelocationItemsTable, RelocationsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";
import { custodyColumns } from "./delivery.ts";
import { appendEvents } from "./events.ts";
import { type VirkFilter, whereInVirk } from "./virk.ts";

/** A relocation row as stored. */
export type RelocationRow = Selectable<RelocationsTable>;
/** A relocation item row as stored. */
export type RelocationItemRow = Selectable<RelocationItemsTable>;

/** What starts a relocation: who, when, what was selected and where it should go. */
export type NewRelocation = {
  id: string;
  authorityCvr: string;
  actor: { kind: "api_key" | "portal_user"; id: string; name: string };
  createdAt: string;
  selection: unknown;
  targetContactPointId: string | null;
  preferOriginal: boolean;
  /** Held from its creation by the run that made it (the request's inline run), on the wall clock, as a job claim is. */
  claim?: { token: string; until: string };
};

const CHUNK = 500;
const chunks = <T>(xs: readonly T[], n = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

/** Stores a new relocation in state `running` with zero counters, claimed when `claim` says so. */
export async function insertRelocation(db: Db, r: NewRelocation): Promise<void> {
  await db
    .insertInto("relocations")
    .values({
      id: r.id,
      authority_cvr: r.authorityCvr,
      actor_kind: r.actor.kind,
      actor_id: r.actor.id,
      actor_name: r.actor.name,
      created_at: r.createdAt,
      selection: JSON.stringify(r.selection),
      target_contact_point_id: r.targetContactPointId,
      prefer_original: r.preferOriginal ? 1 : 0,
      state: "running",
      total: 0,
      moved: 0,
      skipped: 0,
      finished_at: null,
      claim_token: r.claim?.token ?? null,
      claimed_until: r.claim?.until ?? null,
    })
    .execute();
}

/**
 * Claims the authority's Virk messages matching `f` for a relocation: one `pending` item each,
 * copying label, sender, received time and original contact point. A message already pending in
 * another relocation (the unique partial index) gets a `skipped` item `already_moving` instead.
 * Run it in the transaction that created the relocation.
 */
export async function claimRelocationItems(
  tx: Db,
  o: { relocationId: string; cvr: string; filter: VirkFilter; at: string },
): Promise<{ pending: number; alreadyMoving: number }> {
  const parts = o.filter.uuids === undefined ? [o.filter] : chunks(o.filter.uuids, 1000).map((uuids) => ({ ...o.filter, uuids }));
  let pending = 0;
  let alreadyMoving = 0;
  const columns = [
    "relocation_id",
    "message_uuid",
    "label",
    "sender_id",
    "received_at",
    "from_contact_point_id",
    "outcome",
    "reason",
    "at",
  ] as const;
  for (const f of parts) {
    const busy = await tx
      .insertInto("relocation_items")
      .columns(columns)
      .expression(
        whereInVirk(tx.selectFrom("messages"), o.cvr, f)
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom("relocation_items as ri")
                .select("ri.id")
                .whereRef("ri.message_uuid", "=", "messages.uuid")
                .where("ri.outcome", "=", "pending"),
            ),
          )
          .select((eb) => [
            eb.val(o.relocationId).as("relocation_id"),
            "messages.uuid",
            "messages.label",
            "messages.sender_id",
            "messages.received_at",
            "messages.original_contact_point_id",
            eb.val("skipped").as("outcome"),
            eb.val("already_moving").as("reason"),
            eb.val(o.at).as("at"),
          ]),
      )
      .executeTakeFirst();
    alreadyMoving += Number(busy.numInsertedOrUpdatedRows ?? 0n);
    const claimed = await tx
      .insertInto("relocation_items")
      .orIgnore()
      .columns(columns)
      .expression(
        whereInVirk(tx.selectFrom("messages"), o.cvr, f)
          .select((eb) => [
            eb.val(o.relocationId).as("relocation_id"),
            "messages.uuid",
            "messages.label",
            "messages.sender_id",
            "messages.received_at",
            "messages.original_contact_point_id",
            eb.val("pending").as("outcome"),
            sql<null>`NULL`.as("reason"),
            sql<null>`NULL`.as("at"),
          ])
          .orderBy("messages.received_at")
          .orderBy("messages.uuid"),
      )
      .executeTakeFirst();
    pending += Number(claimed.numInsertedOrUpdatedRows ?? 0n);
  }
  return { pending, alreadyMoving };
}

/** Records selected messages that cannot be claimed at all (e.g. `not_in_virk`), with what is known of them. */
export async function insertSkippedItems(
  tx: Db,
  relocationId: string,
  items: readonly { uuid: string; reason: string; label?: string | null; senderId?: string | null; receivedAt?: string }[],
  at: string,
): Promise<void> {
  for (const part of chunks(items)) {
    await tx
      .insertInto("relocation_items")
      .values(
        part.map((i) => ({
          relocation_id: relocationId,
          message_uuid: i.uuid,
          label: i.label ?? null,
          sender_id: i.senderId ?? null,
          received_at: i.receivedAt ?? "",
          from_contact_point_id: null,
          to_contact_point_id: null,
          to_recipient_system_id: null,
          outcome: "skipped" as const,
          reason: i.reason,
          at,
        })),
      )
      .execute();
  }
}

/** Adds to a relocation's counters. */
export async function addRelocationCounts(tx: Db, id: string, d: { total?: number; moved?: number; skipped?: number }): Promise<void> {
  await tx
    .updateTable("relocations")
    .set((eb) => ({
      total: eb("total", "+", d.total ?? 0),
      moved: eb("moved", "+", d.moved ?? 0),
      skipped: eb("skipped", "+", d.skipped ?? 0),
    }))
    .where("id", "=", id)
    .execute();
}

/** The next `limit` pending items of a relocation, in claim order. */
export function pendingItems(
  db: Db,
  relocationId: string,
  limit: number,
): Promise<{ id: number; message_uuid: string; from_contact_point_id: string | null }[]> {
  return db
    .selectFrom("relocation_items")
    .select(["id", "message_uuid", "from_contact_point_id"])
    .where("relocation_id", "=", relocationId)
    .where("outcome", "=", "pending")
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** One destination of a batch: the items going to one contact point and its system, and how they enter its queue (the lifecycle's `relocate`). */
export type BatchMove = { contactPointId: string; systemId: string; move: Move; items: readonly { id: number; uuid: string }[] };

/**
 * The atomic move of one batch, inside the caller's transaction: each message still in the
 * authority's Virk (guarded by `state = 'in_virk'`) enters delivery to its new system as its
 * `move` says, its item becomes `moved`
 * and it gets a `relocated` event. Items whose message left Virk meanwhile become `not_in_virk`;
 * `skipped` items get their reason. Counters follow. Only `pending` items are touched.
 */
export async function applyRelocationBatch(
  tx: Db,
  o: { relocationId: string; cvr: string; at: string; moves: readonly BatchMove[]; skipped: readonly { id: number; reason: string }[] },
): Promise<{ moved: number; skipped: number }> {
  let moved = 0;
  const skipped = [...o.skipped];
  for (const m of o.moves) {
    for (const part of chunks(m.items)) {
      const r = await tx
        .updateTable("messages")
        .set({
          ...custodyColumns({ kind: "recipient_system", systemId: m.systemId }, m.move),
          route_reason: "relocated",
          route_contact_point_id: m.contactPointId,
          state: m.move.queued.state,
          next_attempt_at: m.move.queued.nextAttemptAt,
        })
        .where(
          "uuid",
          "in",
          part.map((i) => i.uuid),
        )
        // `+` keeps SQLite on the primary key; through `messages_virk` each batch would scan the whole mailbox.
        .where(sql<string>`+authority_cvr`, "=", o.cvr)
        .where("state", "=", "in_virk")
        .returning("uuid")
        .execute();
      const done = new Set(r.map((x) => x.uuid));
      const ids = part.filter((i) => done.has(i.uuid)).map((i) => i.id);
      for (const i of part) if (!done.has(i.uuid)) skipped.push({ id: i.id, reason: "not_in_virk" });
      if (ids.length === 0) continue;
      const u = await tx
        .updateTable("relocation_items")
        .set({ outcome: "moved", to_contact_point_id: m.contactPointId, to_recipient_system_id: m.systemId, at: o.at })
        .where("id", "in", ids)
        .where("outcome", "=", "pending")
        .executeTakeFirst();
      // A message moves only with its pending item; anything else is a broken invariant and rolls back.
      if (Number(u.numUpdatedRows) !== ids.length)
        throw new Error(`relocation ${o.relocationId}: ${ids.length - Number(u.numUpdatedRows)} moved messages had no pending item`);
      moved += ids.length;
      // The `relocated` events come from the item rows just written: one short statement instead of 7 parameters a row.
      await tx
        .insertInto("events")
        .columns(["authority_cvr", "at", "type", "message_uuid", "recipient_system_id", "data"])
        .expression(
          tx
            .selectFrom("relocation_items")
            .where("id", "in", ids)
            .select((eb) => [
              eb.val(o.cvr).as("authority_cvr"),
              eb.val(o.at).as("at"),
              eb.val("relocated").as("type"),
              "message_uuid",
              "to_recipient_system_id",
              sql<string>`json_object('relocationId', relocation_id, 'contactPointId', to_contact_point_id)`.as("data"),
            ]),
        )
        .execute();
    }
  }
  const byReason = new Map<string, number[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.id]);
  let skippedCount = 0;
  for (const [reason, ids] of byReason) {
    for (const part of chunks(ids)) {
      const u = await tx
        .updateTable("relocation_items")
        .set({ outcome: "skipped", reason, at: o.at })
        .where("id", "in", part)
        .where("outcome", "=", "pending")
        .executeTakeFirst();
      skippedCount += Number(u.numUpdatedRows);
    }
  }
  await addRelocationCounts(tx, o.relocationId, { moved, skipped: skippedCount });
  return { moved, skipped: skippedCount };
}

/**
 * Ends a running relocation as `finished` or `stopped`; a stop turns the pending items into
 * `skipped` (`stopped`), so the rest stays in Virk. False when it was not running.
 */
export async function closeRelocation(tx: Db, id: string, state: "finished" | "stopped", at: string): Promise<boolean> {
  const r = await tx
    .updateTable("relocations")
    .set({ state, finished_at: at, claim_token: null, claimed_until: null })
    .where("id", "=", id)
    .where("state", "=", "running")
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  if (state === "stopped") {
    const u = await tx
      .updateTable("relocation_items")
      .set({ outcome: "skipped", reason: "stopped", at })
      .where("relocation_id", "=", id)
      .where("outcome", "=", "pending")
      .executeTakeFirst();
    await addRelocationCounts(tx, id, { skipped: Number(u.numUpdatedRows) });
  }
  return true;
}

/** Appends the relocation-level events (no message). */
export function relocationEvent(
  tx: Db,
  cvr: string,
  at: string,
  type: "relocation_started" | "relocation_finished" | "relocation_stopped",
  data: Record<string, unknown>,
): Promise<void> {
  return appendEvents(tx, [{ authorityCvr: cvr, at, type, data }]);
}

/** A relocation row by id (only the authority's when `cvr` is given), or undefined. */
export function getRelocation(db: Db, id: string, cvr?: string): Promise<RelocationRow | undefined> {
  let q = db.selectFrom("relocations").selectAll().where("id", "=", id);
  if (cvr !== undefined) q = q.where("authority_cvr", "=", cvr);
  return q.executeTakeFirst();
}

/** A relocation with its target's name, as listed. */
export type RelocationListRow = RelocationRow & { target_contact_point_name: string | null };

/** An authority's relocation, or undefined (another authority's looks missing). */
export async function findRelocation(db: Db, cvr: string, id: string): Promise<RelocationListRow | undefined> {
  const rows = await listRelocationsQuery(db, cvr).where("r.id", "=", id).execute();
  return rows[0];
}

/** An authority's relocations, newest first, keyset-paged on (created_at, id). */
export function listRelocations(
  db: Db,
  cvr: string,
  page: { limit: number; before?: { createdAt: string; id: string } },
): Promise<RelocationListRow[]> {
  let q = listRelocationsQuery(db, cvr);
  const b = page.before;
  if (b)
    q = q.where((eb) =>
      eb.or([eb("r.created_at", "<", b.createdAt), eb.and([eb("r.created_at", "=", b.createdAt), eb("r.id", "<", b.id)])]),
    );
  return q.orderBy("r.created_at", "desc").orderBy("r.id", "desc").limit(page.limit).execute();
}

function listRelocationsQuery(db: Db, cvr: string) {
  return db
    .selectFrom("relocations as r")
    .leftJoin("contact_points as cp", (j) =>
      j.onRef("cp.id", "=", "r.target_contact_point_id").onRef("cp.authority_cvr", "=", "r.authority_cvr"),
    )
    .selectAll("r")
    .select("cp.name as target_contact_point_name")
    .where("r.authority_cvr", "=", cvr);
}

/** An item with the name of the contact point it went to and its message's sender label ("" for none, null when never kept or not the authority's). */
export type RelocationItemListRow = RelocationItemRow & { to_contact_point_name: string | null; sender_label: string | null };

/** A relocation's items in claim order, paged by id; optionally one outcome only. */
export function listRelocationItems(
  db: Db,
  relocationId: string,
  page: { limit: number; afterId?: number; outcome?: RelocationItemsTable["outcome"] },
): Promise<RelocationItemListRow[]> {
  let q = db
    .selectFrom("relocation_items as i")
    .innerJoin("relocations as r", "r.id", "i.relocation_id")
    .leftJoin("contact_points as cp", (j) =>
      j.onRef("cp.id", "=", "i.to_contact_point_id").onRef("cp.authority_cvr", "=", "r.authority_cvr"),
    )
    .leftJoin("messages as m", (j) => j.onRef("m.uuid", "=", "i.message_uuid").onRef("m.authority_cvr", "=", "r.authority_cvr"))
    .selectAll("i")
    .select(["cp.name as to_contact_point_name", "m.sender_label"])
    .where("i.relocation_id", "=", relocationId);
  if (page.afterId !== undefined) q = q.where("i.id", ">", page.afterId);
  if (page.outcome) q = q.where("i.outcome", "=", page.outcome);
  return q.orderBy("i.id").limit(page.limit).execute();
}

/** How many messages a relocation moved to each contact point (for the receipt). */
export async function movedByTarget(
  db: Db,
  relocationId: string,
): Promise<{ contactPointName: string; systemName: string; count: number }[]> {
  const rows = await db
    .selectFrom("relocation_items as i")
    .leftJoin("contact_points as cp", "cp.id", "i.to_contact_point_id")
    .leftJoin("recipient_systems as s", "s.id", "i.to_recipient_system_id")
    .select((eb) => ["i.to_contact_point_id", "cp.name as cpName", "s.name as sName", eb.fn.countAll<number>().as("n")])
    .where("i.relocation_id", "=", relocationId)
    .where("i.outcome", "=", "moved")
    .groupBy(["i.to_contact_point_id", "i.to_recipient_system_id", "cp.name", "s.name"])
    .orderBy("cp.name")
    .execute();
  return rows.map((r) => ({ contactPointName: r.cpName ?? r.to_contact_point_id ?? "", systemName: r.sName ?? "", count: Number(r.n) }));
}

/**
 * Claims running relocations for one scheduler run (a lease, so two ticks at once work on
 * different jobs and a crashed run's claim lapses). Oldest first. `leaseNow` and `leaseUntil` are
 * wall-clock time: the lease guards a run in flight, which the simulated clock does not speed up.
 */
export async function claimRunningRelocations(
  db: Db,
  o: { leaseNow: string; leaseUntil: string; token: string; limit: number },
): Promise<RelocationRow[]> {
  const r = await sql<RelocationRow>`
    UPDATE relocations SET claim_token = ${o.token}, claimed_until = ${o.leaseUntil}
    WHERE id IN (
      SELECT id FROM relocations WHERE state = 'running' AND (claimed_until IS NULL OR claimed_until < ${o.leaseNow})
      ORDER BY created_at LIMIT ${o.limit}
    ) AND state = 'running'
    RETURNING *`.execute(db);
  return r.rows;
}

/** Gives a relocation claim back (the run is done with it for now). */
export async function releaseRelocationClaim(db: Db, id: string, token: string): Promise<void> {
  await db
    .updateTable("relocations")
    .set({ claim_token: null, claimed_until: null })
    .where("id", "=", id)
    .where("claim_token", "=", token)
    .execute();
}
