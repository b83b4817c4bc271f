import { newId } from "@postvej/core/ids";
import { EMAIL_TEMPLATE } from "@postvej/core/notify";
import type { Selectable } from "kysely";
import type { OutboxTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** An outbox row as read back. */
export type OutboxRow = Selectable<OutboxTable>;

/** An e-mail to queue; `now` becomes both `queued_at` and the first `next_attempt_at`. */
export interface NewEmail {
  authorityCvr: string;
  recipientSystemId?: string | null;
  template: string;
  lang?: "da" | "en";
  to: readonly string[];
  subject: string;
  text: string;
  /** The same key can be queued only once (e.g. `rs_x:ep:2026-…:day2`). */
  dedupeKey: string;
  now: string;
}

/** Thrown when an e-mail would be queued with nobody to send it to. */
export class NoRecipientsError extends Error {
  override name = "NoRecipientsError";
}

/** Normalizes an ISO time so that string comparison in SQL is time comparison. */
function iso(time: string | Date): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a time: ${String(time)}`);
  return date.toISOString();
}

/**
 * Queues an e-mail (in the caller's transaction when given one); false when its dedupe key was
 * queued before, so the same notice is never queued twice.
 */
export async function enqueueEmail(db: Db, row: NewEmail): Promise<boolean> {
  const to = [...new Set(row.to.map((a) => a.trim()).filter((a) => a.length > 0))];
  if (to.length === 0) throw new NoRecipientsError(`no recipients for ${row.dedupeKey}`);
  const now = iso(row.now);
  const result = await db
    .insertInto("outbox")
    .values({
      id: newId("notification"),
      authority_cvr: row.authorityCvr,
      recipient_system_id: row.recipientSystemId ?? null,
      template: row.template,
      lang: row.lang ?? "da",
      to_addresses: JSON.stringify(to),
      subject: row.subject,
      body_text: row.text,
      dedupe_key: row.dedupeKey,
      queued_at: now,
      sent_at: null,
      attempts: 0,
      next_attempt_at: now,
      claim_token: null,
      claimed_until: null,
      last_error: null,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/**
 * Claims up to `limit` due, unsent e-mails that nobody holds (or whose claim has lapsed) in one
 * atomic UPDATE … RETURNING, oldest due first; two drains never get the same row.
 */
export async function claimDueEmails(
  db: Db,
  opts: { now: string; limit: number; leaseMs: number; token: string; leaseNow?: string },
): Promise<OutboxRow[]> {
  const now = iso(opts.now);
  // Due by `now` (domain time); leased by `leaseNow` (the wall clock: the lease guards a send in flight).
  const leaseNow = iso(opts.leaseNow ?? opts.now);
  const until = new Date(Date.parse(leaseNow) + opts.leaseMs).toISOString();
  const rows = await db
    .updateTable("outbox")
    .set({ claim_token: opts.token, claimed_until: until })
    .where("id", "in", (eb) =>
      eb
        .selectFrom("outbox")
        .select("id")
        .where("sent_at", "is", null)
        .where("next_attempt_at", "<=", now)
        .where((w) => w.or([w("claim_token", "is", null), w("claimed_until", "<=", leaseNow)]))
        .orderBy("next_attempt_at")
        .orderBy("id")
        .limit(opts.limit),
    )
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.next_attempt_at.localeCompare(b.next_attempt_at) || a.id.localeCompare(b.id));
}

/** Marks a claimed e-mail sent; false when the claim was lost (another drain took it over). */
/**
 * Renews a drain's claim on one row just before it is sent; false when the claim lapsed (another
 * drain may own the row now) or the row was sent meanwhile: then this drain must not send it.
 */
export async function renewEmailClaim(db: Db, opts: { id: string; token: string; now: string; leaseUntil: string }): Promise<boolean> {
  const r = await db
    .updateTable("outbox")
    .set({ claimed_until: opts.leaseUntil })
    .where("id", "=", opts.id)
    .where("claim_token", "=", opts.token)
    .where("sent_at", "is", null)
    .where("claimed_until", ">", opts.now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function markEmailSent(db: Db, opts: { id: string; token: string; now: string }): Promise<boolean> {
  const r = await db
    .updateTable("outbox")
    .set((eb) => ({
      sent_at: iso(opts.now),
      attempts: eb("attempts", "+", 1),
      claim_token: null,
      claimed_until: null,
      last_error: null,
    }))
    .where("id", "=", opts.id)
    .where("claim_token", "=", opts.token)
    .where("sent_at", "is", null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Records a failed send and when to try again; the row is kept. False when the claim was lost. */
export async function markEmailFailed(
  db: Db,
  opts: { id: string; token: string; now?: string; error: string; nextAttemptAt: string },
): Promise<boolean> {
  const r = await db
    .updateTable("outbox")
    .set((eb) => ({
      attempts: eb("attempts", "+", 1),
      last_error: opts.error.slice(0, 1000),
      next_attempt_at: iso(opts.nextAttemptAt),
      claim_token: null,
      claimed_until: null,
    }))
    .where("id", "=", opts.id)
    .where("claim_token", "=", opts.token)
    .where("sent_at", "is", null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** One line of the notification log (`GET /v1/authorities/{cvr}/notifications`). */
export interface NotificationSummary {
  id: string;
  template: string;
  recipientSystemId: string | null;
  to: string[];
  subject: string;
  lang: "da" | "en";
  status: "sent" | "queued" | "retrying";
  queuedAt: string;
  sentAt: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
}

/**
 * An authority's e-mails, newest first: up to `limit` of them, those queued before `before` (the
 * last one of the previous page) when given. The caller pages (and makes the cursor of) the list.
 */
export async function listNotifications(
  db: Db,
  cvr: string,
  opts: { limit: number; before?: { queuedAt: string; id: string } },
): Promise<NotificationSummary[]> {
  let q = db.selectFrom("outbox").selectAll().where("authority_cvr", "=", cvr);
  if (opts.before) {
    const { queuedAt, id } = opts.before;
    q = q.where((w) => w.or([w("queued_at", "<", queuedAt), w.and([w("queued_at", "=", queuedAt), w("id", "<", id)])]));
  }
  const rows = await q.orderBy("queued_at", "desc").orderBy("id", "desc").limit(opts.limit).execute();
  return rows.map(toSummary);
}

function toSummary(r: OutboxRow): NotificationSummary {
  return {
    id: r.id,
    template: r.template,
    recipientSystemId: r.recipient_system_id,
    to: JSON.parse(r.to_addresses) as string[],
    subject: r.subject,
    lang: r.lang,
    status: r.sent_at ? "sent" : r.attempts > 0 ? "retrying" : "queued",
    queuedAt: r.queued_at,
    sentAt: r.sent_at,
    attempts: r.attempts,
    nextAttemptAt: r.sent_at ? null : r.next_attempt_at,
    lastError: r.last_error,
  };
}

/** When the authority's latest Virk digest was queued (the end of the period it covered), or null. */
export async function lastDigestAt(db: Db, cvr: string): Promise<string | null> {
  const row = await db
    .selectFrom("outbox")
    .select((eb) => eb.fn.max("queued_at").as("at"))
    .where("authority_cvr", "=", cvr)
    .where("template", "=", EMAIL_TEMPLATE.virkDigest)
    .executeTakeFirst();
  return row?.at ?? null;
}
