import type { RenderedEmail, WarningNotice } from "./notice.ts";
import { bilingual, clean, countDa, countEn, danishDateTime, englishDateTime, fitSubject } from "./text-helpers.ts";

/** The day-2 and day-5 warnings to a recipient system's technical and business contacts. */
export function renderWarning(n: WarningNotice): RenderedEmail {
  const system = clean(n.systemName);
  const authority = clean(n.authorityName);
  const cvr = clean(n.authorityCvr);
  const day = n.template === "warning_day2" ? 2 : 5;
  const msgsDa = countDa(n.undeliveredCount, "meddelelse", "meddelelser");
  const msgsEn = countEn(n.undeliveredCount, "message", "messages");
  const headDa = `${day === 2 ? "Advarsel" : "Anden advarsel"}: ${msgsDa} kan ikke leveres til`;
  const headEn = `${day === 2 ? "Warning" : "Second warning"}: ${msgsEn} cannot be delivered to`;
  // "hos"/"at" rather than brackets: a system's own name may end in one ("Sagssystem (demo)").
  const subject = fitSubject(system, [(s) => `${headDa} ${s} hos ${authority}`, (s) => `${headDa} ${s}`]);
  const subjectEn = fitSubject(system, [(s) => `${headEn} ${s} at ${authority}`, (s) => `${headEn} ${s}`]);
  const da = [
    `Til den tekniske og den forretningsmæssige kontakt for modtagersystemet "${system}" hos ${authority} (CVR ${cvr}).`,
    `postvej har ikke kunnet levere ${msgsDa} til modtagersystemet "${system}". ` +
      `Det første mislykkede leveringsforsøg for den ældste af dem var ${danishDateTime(n.oldestFailedAt)}. ` +
      (day === 2 ? "Det er nu mere end 2 døgn siden." : "Det er nu mere end 5 døgn siden, og dette er anden advarsel."),
    "Hvad sker der nu: postvej bliver ved med at forsøge at levere. " +
      `Hvis systemet ikke har modtaget en eneste meddelelse senest ${danishDateTime(n.deactivationAt)}, ` +
      "bliver det deaktiveret automatisk. Dets uleverede post sendes så videre til myndighedens primære modtagersystem " +
      "eller, hvis det ikke kan tage imod posten, til myndighedens postkasse på Virk.",
    "Hvad I kan gøre: Kontrollér, at systemet kører og svarer på sin adresse (eller henter sin post), " +
      "og at certifikater og signeringsnøgle er i orden. Lykkes blot én levering, bliver systemet ikke deaktiveret.",
  ];
  const en = [
    `To the technical and the business contact of the recipient system "${system}" at ${authority} (CVR ${cvr}).`,
    `postvej has not been able to deliver ${msgsEn} to the recipient system "${system}". ` +
      `The first failed attempt for the oldest of them was on ${englishDateTime(n.oldestFailedAt)}. ` +
      (day === 2 ? "That is now more than 2 days ago." : "That is now more than 5 days ago, and this is the second warning."),
    "What happens next: postvej keeps trying to deliver. " +
      `If the system has not received a single message by ${englishDateTime(n.deactivationAt)}, ` +
      "it is deactivated automatically. Its undelivered post then goes on to the authority's primary recipient system " +
      "or, if that cannot take it, to the authority's mailbox on Virk.",
    "What you can do: check that the system is running and answers at its address (or fetches its post), " +
      "and that certificates and the signing secret are in order. As soon as one delivery succeeds, the system is not deactivated.",
  ];
  return { subject, text: bilingual(da, en, n.portalUrl, subjectEn) };
}
