import type { RelocationReceiptNotice, RenderedEmail } from "./notice.ts";
import { bilingual, clean, countDa, countEn, fitSubject } from "./text-helpers.ts";

/** The receipt for a move of post out of Virk; the move's id is named in the text, never in the subject. */
export function renderRelocationReceipt(n: RelocationReceiptNotice): RenderedEmail {
  const authority = clean(n.authorityName);
  const cvr = clean(n.authorityCvr);
  const id = clean(n.relocationId);
  const actor = clean(n.actorName);
  const stopped = n.state === "stopped";
  const movedDa = `${countDa(n.moved, "meddelelse", "meddelelser")} flyttet fra Virk`;
  const movedEn = `${countEn(n.moved, "message", "messages")} moved out of Virk`;
  const headDa = stopped ? `Kvittering (flytningen blev stoppet): ${movedDa}` : `Kvittering: ${movedDa}`;
  const headEn = stopped ? `Receipt (the move was stopped): ${movedEn}` : `Receipt: ${movedEn}`;
  const subject = fitSubject(authority, [(a) => `${headDa} (${a})`, () => headDa]);
  const subjectEn = fitSubject(authority, [(a) => `${headEn} (${a})`, () => headEn]);
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
    `${actor} har flyttet post fra myndighedens postkasse på Virk. ` +
      (stopped ? "Flytningen blev stoppet, før den var færdig." : "Flytningen er færdig."),
    `Flyttet: ${countDa(n.moved, "meddelelse", "meddelelser")}. Ikke flyttet: ${countDa(n.skipped, "meddelelse", "meddelelser")}.`,
    ...(linesDa.length ? [linesDa.join("\n")] : []),
    "Hvad sker der nu: De flyttede meddelelser leveres til de nævnte modtagersystemer. " +
      "Meddelelser, der ikke blev flyttet, ligger stadig på Virk. Historikken viser årsagen for hver enkelt.",
    `Flytningens reference: ${id}`,
  ];
  const en = [
    `To ${authority} (CVR ${cvr}).`,
    `${actor} has moved post out of the authority's mailbox on Virk. ` +
      (stopped ? "The move was stopped before it finished." : "The move has finished."),
    `Moved: ${countEn(n.moved, "message", "messages")}. Not moved: ${countEn(n.skipped, "message", "messages")}.`,
    ...(linesEn.length ? [linesEn.join("\n")] : []),
    "What happens next: the moved messages are delivered to the recipient systems named above. " +
      "Messages that were not moved are still in Virk; the history shows the reason for each.",
    `The move's reference: ${id}`,
  ];
  return { subject, text: bilingual(da, en, n.portalUrl, subjectEn) };
}
