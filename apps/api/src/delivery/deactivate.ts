import { deactivate } from "@postvej/core/lifecycle";
import { renderEmail, type Notice } from "@postvej/core/notify";
import {
  appendEvents,
  deactivateRecipientSystem,
  enqueueEmail,
  findAuthority,
  undeliveredMessages,
  type Db,
  type RecipientSystemsTable,
} from "@postvej/db";
import { rerouteMessages, type RerouteDestination } from "./reroute.ts";

/**
 * Deactivates a system (automatically on day 7, or by an administrator), moves every undelivered
 * message along the fallback chain, tells both contacts where the post went, and logs it — all in
 * the caller's transaction. A message whose push is in flight (claim live at `leaseNow`, wall
 * clock) stays for its outcome: delivered there, or moved on by the next run's rescue of orphans.
 * False when the system was not active.
 */
export async function deactivateSystem(
  tx: Db,
  system: RecipientSystemsTable,
  reason: "automatic" | "manual",
  at: string,
  portalUrl: string | null,
  leaseNow: string,
): Promise<{ moved: number; destination: RerouteDestination } | false> {
  const t = deactivate(system.id, reason, new Date(at));
  if (!(await deactivateRecipientSystem(tx, system.id, t.next))) return false;
  let destination: RerouteDestination = { kind: "virk" };
  let moved = 0;
  for (;;) {
    const batch = await undeliveredMessages(tx, system.id, { limit: 5000, leaseNow });
    const step = await rerouteMessages(
      tx,
      system,
      batch.map((m) => m.uuid),
      "system_deactivated",
      at,
    );
    destination = step.destination;
    moved += step.moved;
    if (batch.length < 5000) break;
  }
  const notice: Notice = {
    ...(await noticeBase(tx, system, portalUrl)),
    template: "deactivated",
    systemName: system.name,
    movedCount: moved,
    destination: destination.kind === "primary" ? { kind: "primary", systemName: destination.systemName } : { kind: "virk" },
  };
  await notifyContacts(tx, system, notice, t.noticeDedupeKey, at);
  await appendEvents(tx, [
    {
      authorityCvr: system.authority_cvr,
      at,
      type: "system_deactivated",
      recipientSystemId: system.id,
      data: { reason, moved, destination },
    },
  ]);
  return { moved, destination };
}

/** What every notice about a system says of its authority. */
export async function noticeBase(tx: Db, system: RecipientSystemsTable, portalUrl: string | null) {
  const authority = await findAuthority(tx, system.authority_cvr);
  return {
    authorityName: authority?.name ?? system.authority_cvr,
    authorityCvr: system.authority_cvr,
    ...(portalUrl ? { portalUrl } : {}),
  };
}

/** Queues a rendered notice to the system's technical and business contacts, once per dedupe key. */
export async function notifyContacts(tx: Db, s: RecipientSystemsTable, notice: Notice, dedupeKey: string, at: string): Promise<void> {
  const { subject, text } = renderEmail(notice);
  await enqueueEmail(tx, {
    authorityCvr: s.authority_cvr,
    recipientSystemId: s.id,
    template: notice.template,
    to: [...new Set([s.technical_contact_email, s.business_contact_email])],
    subject,
    text,
    dedupeKey,
    now: at,
  });
}
