import { EMAIL_TEMPLATE, renderEmail, VIRK_DIGEST_INTERVAL_MS, virkDigestKey } from "@postvej/core/notify";
import { type Db, businessContactEmails, enqueueEmail, landedInVirkBetween, lastDigestAt, listAuthorities } from "@postvej/db";

/**
 * Queues the Virk digest (adviseringsmail): for each authority with post that landed in its Virk
 * mailbox after its last digest, one e-mail to the distinct business contacts of its recipient
 * systems, counting the messages landed since then. At most one per authority an hour (a full
 * hour after the previous one); idempotent, since the dedupe key names the previous digest, so two
 * ticks at once queue one. An authority with no recipient system has nobody to tell yet; its
 * count keeps growing until it has one.
 */
export async function queueVirkDigests(opts: { db: Db; now: Date; portalUrl?: string | null }): Promise<{ queued: number }> {
  const { db, now } = opts;
  const nowIso = now.toISOString();
  const hourAgo = new Date(now.getTime() - VIRK_DIGEST_INTERVAL_MS).toISOString();
  let queued = 0;
  for (const a of await listAuthorities(db)) {
    // "Never more than one an hour" (domain §8): a full hour since the last digest.
    const last = await lastDigestAt(db, a.cvr);
    if (last && last > hourAgo) continue;
    const landed = await landedInVirkBetween(db, a.cvr, last ?? "", nowIso);
    const count = Number(landed?.count ?? 0);
    if (count === 0 || !landed) continue;
    const to = await businessContactEmails(db, a.cvr);
    if (to.length === 0) continue;
    const { subject, text } = renderEmail({
      template: EMAIL_TEMPLATE.virkDigest,
      authorityName: a.name,
      authorityCvr: a.cvr,
      count,
      since: last ?? landed.firstAt,
      until: nowIso,
      ...(opts.portalUrl ? { portalUrl: opts.portalUrl } : {}),
    });
    const ok = await enqueueEmail(db, {
      authorityCvr: a.cvr,
      recipientSystemId: null,
      template: EMAIL_TEMPLATE.virkDigest,
      to,
      subject,
      text,
      dedupeKey: virkDigestKey(a.cvr, last),
      now: nowIso,
    });
    if (ok) queued++;
  }
  return { queued };
}
