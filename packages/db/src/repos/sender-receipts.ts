import type { AfterReceiptPush } from "@postvej/core/lifecycle";
import { sql } from "kysely";
import type { ReceiptEndpointsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** A sender key's receipt endpoint, or undefined. */
export function findReceiptEndpoint(db: Db, senderKeyId: string): Promise<ReceiptEndpointsTable | undefined> {
  return db.selectFrom("receipt_endpoints").selectAll().where("sender_key_id", "=", senderKeyId).executeTakeFirst();
}

/**
 * Creates a sender key's receipt endpoint with its secret (stored as given, sealed or not); false,
 * changing nothing, when the key has one already.
 */
export async function insertReceiptEndpoint(
  db: Db,
  e: { senderKeyId: string; authorityCvr: string; url: string; signingSecret: string; at: string },
): Promise<boolean> {
  const r = await db
    .insertInto("receipt_endpoints")
    .values({
      sender_key_id: e.senderKeyId,
      authority_cvr: e.authorityCvr,
      url: e.url,
      signing_secret: e.signingSecret,
      created_at: e.at,
      updated_at: e.at,
    })
    .onConflict((oc) => oc.column("sender_key_id").doNothing())
    .returning("sender_key_id")
    .executeTakeFirst();
  return r !== undefined;
}

/** Receipt endpoints whose secret is still stored in clear (not starting with `prefix`). */
export function listUnsealedReceiptSecrets(db: Db, prefix: string): Promise<{ sender_key_id: string; signing_secret: string }[]> {
  return db
    .selectFrom("receipt_endpoints")
    .select(["sender_key_id", "signing_secret"])
    .where("signing_secret", "not like", `${prefix}%`)
    .execute();
}

/** Replaces a receipt endpoint's stored secret with another value of it, only while it is still `from`; true when replaced. */
export async function replaceReceiptSecret(db: Db, senderKeyId: string, from: string, to: string): Promise<boolean> {
  const r = await db
    .updateTable("receipt_endpoints")
    .set({ signing_secret: to })
    .where("sender_key_id", "=", senderKeyId)
    .where("signing_secret", "=", from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Points a sender key's existing receipt endpoint at `url` (its secret stays); false when it has none. */
export async function setReceiptEndpointUrl(db: Db, senderKeyId: string, url: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable("receipt_endpoints")
    .set({ url, updated_at: at })
    .where("sender_key_id", "=", senderKeyId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Removes a sender key's receipt endpoint (and its secret); its receipts not yet pushed stay in the
 * feed only. Run it in a transaction. True when there was one.
 */
export async function deleteReceiptEndpoint(db: Db, senderKeyId: string): Promise<boolean> {
  const r = await db.deleteFrom("receipt_endpoints").where("sender_key_id", "=", senderKeyId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) return false;
  await db
    .updateTable("sender_receipts")
    .set({ next_push_at: null, claim_token: null, claimed_until: null })
    .where("sender_key_id", "=", senderKeyId)
    .where("next_push_at", "is not", null)
    .execute();
  return true;
}

/** One receipt with the event it reports (its type, system and data). */
export type SenderReceiptRow = {
  seq: number;
  id: string;
  message_uuid: string;
  at: string;
  event_type: string;
  recipient_system_id: string | null;
  event_data: string;
  push_attempts: number;
  next_push_at: string | null;
  pushed_at: string | null;
  push_gave_up_at: string | null;
};

function withEvents(db: Db) {
  return db
    .selectFrom("sender_receipts as r")
    .innerJoin("events as e", "e.id", "r.event_id")
    .select([
      "r.seq",
      "r.id",
      "r.message_uuid",
      "r.at",
      "e.type as event_type",
      "e.recipient_system_id",
      "e.data as event_data",
      "r.push_attempts",
      "r.next_push_at",
      "r.pushed_at",
      "r.push_gave_up_at",
    ]);
}

/** A sender key's receipts in the order they were made, after `afterSeq` (keyset on `sender_receipts_feed`). */
export function listSenderReceipts(db: Db, senderKeyId: string, o: { afterSeq?: number; limit: number }): Promise<SenderReceiptRow[]> {
  let q = withEvents(db).where("r.sender_key_id", "=", senderKeyId);
  if (o.afterSeq !== undefined) q = q.where("r.seq", ">", o.afterSeq);
  return q.orderBy("r.seq").limit(o.limit).execute();
}

/** A receipt claimed for one push, with where it goes. */
export type ClaimedReceipt = SenderReceiptRow & { sender_key_id: string; url: string; signing_secret: string };

/**
 * Claims up to `limit` receipts due by `now` (domain time) whose key has an endpoint, with a lease
 * until `leaseUntil` unless another run's lease (wall clock, `leaseNow`) holds them: two instances
 * sharing the database never push the same receipt at once.
 */
export async function claimDueReceipts(
  db: Db,
  o: { now: string; leaseNow: string; leaseUntil: string; token: string; limit: number },
): Promise<ClaimedReceipt[]> {
  const claimed = await sql<{ seq: number }>`
    UPDATE sender_receipts SET claim_token = ${o.token}, claimed_until = ${o.leaseUntil}
    WHERE seq IN (
      SELECT seq FROM sender_receipts INDEXED BY sender_receipts_due
      WHERE next_push_at IS NOT NULL AND next_push_at <= ${o.now} AND (claimed_until IS NULL OR claimed_until < ${o.leaseNow})
      ORDER BY next_push_at LIMIT ${o.limit}
    )
    RETURNING seq`.execute(db);
  const seqs = claimed.rows.map((r) => r.seq);
  if (seqs.length === 0) return [];
  return withEvents(db)
    .innerJoin("receipt_endpoints as p", "p.sender_key_id", "r.sender_key_id")
    .select(["r.sender_key_id", "p.url", "p.signing_secret"])
    .where("r.seq", "in", seqs)
    .where("r.claim_token", "=", o.token)
    .orderBy("r.seq")
    .execute();
}

/** Writes a receipt push's outcome (the lifecycle's `afterReceiptPush`), only while `token` still holds its claim. */
export async function recordReceiptPush(db: Db, seq: number, token: string, n: AfterReceiptPush): Promise<boolean> {
  const r = await db
    .updateTable("sender_receipts")
    .set({
      pushed_at: n.pushedAt,
      next_push_at: n.nextPushAt,
      push_attempts: n.pushAttempts,
      last_push_error: n.lastPushError,
      push_gave_up_at: n.pushGaveUpAt,
      claim_token: null,
      claimed_until: null,
    })
    .where("seq", "=", seq)
    .where("claim_token", "=", token)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives claimed receipts back untouched, due as they were (a run stopping before it pushed them), while `token` still holds them. */
export async function releaseReceiptClaims(db: Db, seqs: readonly number[], token: string): Promise<void> {
  if (seqs.length === 0) return;
  await db
    .updateTable("sender_receipts")
    .set({ claim_token: null, claimed_until: null })
    .where("seq", "in", seqs)
    .where("claim_token", "=", token)
    .execute();
}
