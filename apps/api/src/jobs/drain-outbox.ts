import { randomToken } from "@postvej/core/ids";
import { OUTBOX_LEASE_MS, outboxBackoffMs } from "@postvej/core/notify";
import { type Db, claimDueEmails, markEmailFailed, markEmailSent, renewEmailClaim, type OutboxRow } from "@postvej/db";
import type { MailTransport } from "../mail/transport.ts";

/** What one drain did. */
export type DrainReport = { sent: number; failed: number };

/**
 * Sends due e-mails from the outbox: claims up to `limit` rows (an atomic claim, so two drains
 * at once never send the same row), hands each to the transport, and marks it sent or failed.
 * A failed row is kept and tried again after 1 m, 5 m, 30 m, 2 h, then every 6 h; it is never
 * dropped.
 *
 * At least once, not exactly once: a crash (or a lost database) between the transport
 * accepting a mail and `markEmailSent` leaves the row claimed but unsent, and it is sent again
 * once its lease has run out. Every copy carries the outbox id as its Message-ID
 * (`<ntf_…@domain-of-from>`) and in `X-Postvej-Notification-Id` (which survives transports that
 * set their own Message-ID), so a duplicate can be traced to its row and recognised.
 */
export async function drainOutbox(opts: {
  db: Db;
  transport: MailTransport;
  now: Date;
  from: string;
  limit?: number;
  leaseMs?: number;
  /** The wall clock the claims are leased on (a send in flight is real work); tests inject one. */
  wallClock?: () => number;
}): Promise<DrainReport> {
  const { db, transport, now, from } = opts;
  const nowIso = now.toISOString();
  const token = `drain_${randomToken(16)}`;
  const leaseMs = opts.leaseMs ?? OUTBOX_LEASE_MS;
  const wall = opts.wallClock ?? Date.now;
  const rows = await claimDueEmails(db, {
    now: nowIso,
    leaseNow: new Date(wall()).toISOString(),
    limit: opts.limit ?? 50,
    leaseMs,
    token,
  });
  const report: DrainReport = { sent: 0, failed: 0 };
  // One at a time: a batch is small, and a slow server then slows only this drain.
  for (const row of rows) {
    // A slow batch can outlive its lease; a row whose claim lapsed may belong to another drain now.
    const at = new Date(wall());
    if (
      !(await renewEmailClaim(db, { id: row.id, token, now: at.toISOString(), leaseUntil: new Date(at.getTime() + leaseMs).toISOString() }))
    )
      continue;
    try {
      await transport.send({
        messageId: row.id,
        from,
        to: recipients(row),
        subject: row.subject,
        text: row.body_text,
        date: now,
      });
    } catch (error) {
      const nextAttemptAt = new Date(now.getTime() + outboxBackoffMs(row.attempts + 1)).toISOString();
      await markEmailFailed(db, { id: row.id, token, now: nowIso, error: describe(error), nextAttemptAt });
      report.failed++;
      continue;
    }
    await markEmailSent(db, { id: row.id, token, now: nowIso });
    report.sent++;
  }
  return report;
}

function recipients(row: OutboxRow): string[] {
  const parsed: unknown = JSON.parse(row.to_addresses);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string") || parsed.length === 0) {
    throw new Error(`outbox row ${row.id} has no recipients`);
  }
  return parsed;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { responseCode?: unknown; code?: unknown }).responseCode ?? (error as { code?: unknown }).code;
    return code !== undefined ? `${String(code)}: ${error.message}` : error.message;
  }
  return String(error);
}
