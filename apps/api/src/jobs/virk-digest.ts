import { EVENT_TYPE } from "@postvej/core/delivery";
import { EMAIL_TEMPLATE, renderEmail } from "@postvej/core/notify";
import { type Db, enqueueEmail } from "@postvej/db";
import { sql } from "kysely";

/** `virk_digest:{cvr}:{YYYY-MM-DDTHH}` (UTC hour): at most one digest per authority per clock hour. */
export function virkDigestKey(cvr: string, now: Date): string {
  return `virk_digest:${cvr}:${now.toISOString().slice(0, 13)}`;
}

/**
 * Queues the Virk digest (adviseringsmail): for each authority with post that landed in its Virk
 * mailbox after its last digest, one e-mail to the distinct business contacts of its recipient
 * systems, counting the messages landed since then. At most one per authority an hour (a full
 * hour after the previous one, and one per clock hour); idempotent, so two ticks at once queue
 * one digest. An authority with no recipient system has
 * nobody to tell yet; its count keeps growing until it has one.
 */
export async function queueVirkDigests(opts: { db: Db; now: Date; portalUrl?: string | null }): Promise<{ queued: number }> {
  const { db, now } = opts;
  const nowIso = now.toISOString();
  // "Never more than one an hour" (domain §8): a full hour since the last digest, and the
  // dedupe key allows one per clock hour even when two ticks race.
  const hourAgo = new Date(now.getTime() - 60 * 60_000).toISOString();
  const lastDigest = (cvr: ReturnType<typeof sql.ref>) =>
    sql<string | null>`(SELECT MAX(o.queued_at) FROM outbox o WHERE o.authority_cvr = ${cvr} AND o.template = ${EMAIL_TEMPLATE.virkDigest})`;

  const pending = await db
    .selectFrom("events as e")
    .innerJoin("authorities as a", "a.cvr", "e.authority_cvr")
    .select((eb) => [
      "e.authority_cvr as cvr",
      "a.name as name",
      eb.fn.count<number>("e.message_uuid").distinct().as("count"),
      eb.fn.min<string>("e.at").as("firstAt"),
      lastDigest(sql.ref("e.authority_cvr")).as("lastDigestAt"),
    ])
    .where("e.type", "=", EVENT_TYPE.landedInVirk)
    .where("e.at", "<=", nowIso)
    .where(sql<boolean>`e.at > COALESCE(${lastDigest(sql.ref("e.authority_cvr"))}, '')`)
    .where(sql<boolean>`COALESCE(${lastDigest(sql.ref("e.authority_cvr"))}, '') <= ${hourAgo}`)
    .groupBy(["e.authority_cvr", "a.name"])
    .execute();

  let queued = 0;
  for (const p of pending) {
    const count = Number(p.count);
    if (count === 0) continue;
    const contacts = await db
      .selectFrom("recipient_systems")
      .select("business_contact_email")
      .distinct()
      .where("authority_cvr", "=", p.cvr)
      .orderBy("business_contact_email")
      .execute();
    const to = contacts.map((c) => c.business_contact_email.trim()).filter((a) => a.length > 0);
    if (to.length === 0) continue;
    const { subject, text } = renderEmail({
      template: EMAIL_TEMPLATE.virkDigest,
      authorityName: p.name,
      authorityCvr: p.cvr,
      count,
      since: p.lastDigestAt ?? p.firstAt,
      until: nowIso,
      ...(opts.portalUrl ? { portalUrl: opts.portalUrl } : {}),
    });
    const ok = await enqueueEmail(db, {
      authorityCvr: p.cvr,
      recipientSystemId: null,
      template: EMAIL_TEMPLATE.virkDigest,
      to,
      subject,
      text,
      dedupeKey: virkDigestKey(p.cvr, now),
      now: nowIso,
    });
    if (ok) queued++;
  }
  return { queued };
}
