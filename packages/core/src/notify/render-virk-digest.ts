import type { RenderedEmail, VirkDigestNotice } from "./notice.ts";
import { bilingual, clean, countDa, countEn, danishPeriod, englishPeriod, fitSubject } from "./text-helpers.ts";

/** The digest (adviseringsmail) that post has come to the authority's Virk mailbox. */
export function renderVirkDigest(n: VirkDigestNotice): RenderedEmail {
  const authority = clean(n.authorityName);
  const cvr = clean(n.authorityCvr);
  const msgsDa = countDa(n.count, "ny meddelelse", "nye meddelelser");
  const msgsEn = countEn(n.count, "new message", "new messages");
  const subject = fitSubject(authority, [(a) => `${msgsDa} i postkassen på Virk for ${a}`]);
  const subjectEn = fitSubject(authority, [(a) => `${msgsEn} in the Virk mailbox of ${a}`]);
  const period = danishPeriod(n.since, n.until);
  const da = [
    `Til ${authority} (CVR ${cvr}).`,
    `${period.charAt(0).toUpperCase()}${period.slice(1)} er der kommet ${msgsDa} i myndighedens postkasse på Virk, ` +
      "fordi intet aktivt modtagersystem kunne tage imod dem.",
    'Hvad sker der nu: Posten bliver liggende på Virk, indtil en systemadministrator flytter den til et kontaktpunkt med funktionen "Flyt post". ' +
      "Kontrollér også, at myndighedens modtagersystemer er aktive, og at et af dem er primært.",
    "Denne oversigt sendes højst én gang i timen.",
  ];
  const periodEn = englishPeriod(n.since, n.until);
  const en = [
    `To ${authority} (CVR ${cvr}).`,
    `${periodEn.charAt(0).toUpperCase()}${periodEn.slice(1)}, ${msgsEn} came to the authority's mailbox on Virk, ` +
      "because no active recipient system could take them.",
    'What happens next: the post stays in Virk until a system administrator moves it to a contact point with "Move post". ' +
      "Please also check that the authority's recipient systems are active and that one of them is primary.",
    "This digest is sent at most once an hour.",
  ];
  return { subject, text: bilingual(da, en, n.portalUrl, subjectEn) };
}
