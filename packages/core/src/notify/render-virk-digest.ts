import type { RenderedEmail, VirkDigestNotice } from "./notice.ts";
import { bilingual, clean, countDa, countEn, danishDateTime, englishDateTime } from "./text-helpers.ts";

/** The digest (adviseringsmail) that post has landed in the authority's Virk mailbox. */
export function renderVirkDigest(n: VirkDigestNotice): RenderedEmail {
  const authority = clean(n.authorityName);
  const cvr = clean(n.authorityCvr);
  const msgsDa = countDa(n.count, "ny meddelelse", "nye meddelelser");
  const msgsEn = countEn(n.count, "new message", "new messages");
  const subject = `${msgsDa} i postkassen på Virk for ${authority}` + ` / ${msgsEn} in the Virk mailbox of ${authority}`;
  const da = [
    `Til ${authority} (CVR ${cvr}).`,
    `Fra ${danishDateTime(n.since)} til ${danishDateTime(n.until)} er der landet ${msgsDa} i myndighedens postkasse på Virk, ` +
      "fordi intet aktivt modtagersystem kunne tage imod dem.",
    'Hvad sker der nu: posten bliver liggende på Virk, indtil en systemadministrator flytter den til et kontaktpunkt med "flyt post". ' +
      "Kontrollér også, om myndighedens modtagersystemer er aktive, og om der er et primært modtagersystem.",
    "Denne oversigt sendes højst én gang i timen.",
  ];
  const en = [
    `To ${authority} (CVR ${cvr}).`,
    `From ${englishDateTime(n.since)} to ${englishDateTime(n.until)}, ${msgsEn} landed in the authority's mailbox on Virk, ` +
      "because no active recipient system could take them.",
    'What happens next: the post stays in Virk until a system administrator moves it to a contact point with "move post". ' +
      "Please also check that the authority's recipient systems are active and that one of them is primary.",
    "This digest is sent at most once an hour.",
  ];
  return { subject, text: bilingual(da, en, n.portalUrl) };
}
