import type { RelocationReceiptNotice, RenderedEmail } from "./notice.ts";
import { bilingual, clean, countDa, countEn } from "./text-helpers.ts";

/** The receipt for a move of post out of Virk. */
export function renderRelocationReceipt(n: RelocationReceiptNotice): RenderedEmail {
  const authority = clean(n.authorityName);
  const cvr = clean(n.authorityCvr);
  const id = clean(n.relocationId);
  const actor = clean(n.actorName);
  const stopped = n.state === "stopped";
  const subject =
    `Kvittering for flytning af post ${id} (${authority}): ${countDa(n.moved, "meddelelse", "meddelelser")} flyttet` +
    ` / Receipt for move of post ${id} (${authority}): ${countEn(n.moved, "message", "messages")} moved`;
  const linesDa = n.targets.map(
    (t) =>
      `- ${countDa(t.count, "meddelelse", "meddelelser")} til kontaktpunktet "${clean(t.contactPointName)}" (modtagersystemet "${clean(t.systemName)}")`,
  );
  const linesEn = n.targets.map(
    (t) =>
      `- ${countEn(t.count, "message", "messages")} to the contact point "${clean(t.contactPointName)}" (recipient system "${clean(t.systemName)}")`,
  );
  const da = [
    `Til ${authority} (CVR ${cvr}).`,
    `${actor} har flyttet post fra myndighedens postkasse på Virk (flytning ${id}). ` +
      (stopped ? "Flytningen blev stoppet, før den var færdig." : "Flytningen er færdig."),
    `Flyttet: ${countDa(n.moved, "meddelelse", "meddelelser")}. Ikke flyttet: ${countDa(n.skipped, "meddelelse", "meddelelser")}.`,
    ...(linesDa.length ? [linesDa.join("\n")] : []),
    "Hvad sker der nu: de flyttede meddelelser leveres til de nævnte modtagersystemer. " +
      "Meddelelser, der ikke blev flyttet, ligger stadig på Virk; historikken viser årsagen for hver enkelt.",
  ];
  const en = [
    `To ${authority} (CVR ${cvr}).`,
    `${actor} has moved post out of the authority's mailbox on Virk (move ${id}). ` +
      (stopped ? "The move was stopped before it finished." : "The move has finished."),
    `Moved: ${countEn(n.moved, "message", "messages")}. Not moved: ${countEn(n.skipped, "message", "messages")}.`,
    ...(linesEn.length ? [linesEn.join("\n")] : []),
    "What happens next: the moved messages are delivered to the recipient systems named above. " +
      "Messages that were not moved are still in Virk; the history shows the reason for each.",
  ];
  return { subject, text: bilingual(da, en, n.portalUrl) };
}
