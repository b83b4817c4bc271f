import { EMAIL_TEMPLATE, relocationReceiptDue, renderEmail } from "@postvej/core/notify";
import { businessContactEmails, enqueueEmail, findAuthority, movedByTarget, type Db, type RelocationRow } from "@postvej/db";

/** `relocation:{id}:{state}`: one receipt per relocation and final state. */
export function receiptKey(id: string, state: "finished" | "stopped"): string {
  return `relocation:${id}:${state}`;
}

/**
 * Queues the move receipt to the authority's business contacts (the distinct business contact
 * e-mails of its recipient systems), in the caller's transaction — the one that set the final
 * state. False when the authority has nobody to tell, or the relocation moved nothing (core's
 * `relocationReceiptDue`).
 */
export async function queueRelocationReceipt(
  tx: Db,
  rel: RelocationRow,
  state: "finished" | "stopped",
  at: string,
  portalUrl: string | null,
): Promise<boolean> {
  if (!relocationReceiptDue(rel)) return false;
  const to = await businessContactEmails(tx, rel.authority_cvr);
  if (to.length === 0) return false;
  const authority = await findAuthority(tx, rel.authority_cvr);
  const { subject, text } = renderEmail({
    template: EMAIL_TEMPLATE.relocationReceipt,
    authorityName: authority?.name ?? rel.authority_cvr,
    authorityCvr: rel.authority_cvr,
    relocationId: rel.id,
    actorName: rel.actor_name,
    state,
    moved: rel.moved,
    skipped: rel.skipped,
    targets: await movedByTarget(tx, rel.id),
    ...(portalUrl ? { portalUrl } : {}),
  });
  return enqueueEmail(tx, {
    authorityCvr: rel.authority_cvr,
    recipientSystemId: null,
    template: EMAIL_TEMPLATE.relocationReceipt,
    to,
    subject,
    text,
    dedupeKey: receiptKey(rel.id, state),
    now: at,
  });
}
