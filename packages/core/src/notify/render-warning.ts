import type { RenderedEmail, WarningNotice } from "./notice.ts";
import { bilingual, clean, countDa, countEn, danishDateTime, englishDateTime } from "./text-helpers.ts";

/** The day-2 and day-5 warnings to a recipient system's technical and business contacts. */
export function renderWarning(n: WarningNotice): RenderedEmail {
  const system = clean(n.systemName);
  const authority = clean(n.authorityName);
  const cvr = clean(n.authorityCvr);
  const day = n.template === "warning_day2" ? 2 : 5;
  const msgsDa = countDa(n.undeliveredCount, "meddelelse", "meddelelser");
  const msgsEn = countEn(n.undeliveredCount, "message", "messages");
  const subject =
    `${day === 2 ? "Advarsel" : "Anden advarsel"}: ${msgsDa} kan ikke leveres til ${system} (${authority})` +
    ` / ${day === 2 ? "Warning" : "Second warning"}: ${msgsEn} cannot be delivered to ${system} (${authority})`;
  const da = [
    `Til den tekniske og den forretningsmæssige kontakt for modtagersystemet "${system}" hos ${authority} (CVR ${cvr}).`,
    `postvej har ikke kunnet levere ${msgsDa} til modtagersystemet "${system}". ` +
      `Det første fejlede leveringsforsøg for den ældste af dem var ${danishDateTime(n.oldestFailedAt)}. ` +
      (day === 2 ? "Det er nu mere end 2 dage siden." : "Det er nu mere end 5 dage siden, og dette er anden advarsel."),
    "Hvad sker der nu: postvej bliver ved med at forsøge at levere. " +
      `Hvis systemet ikke har modtaget en eneste meddelelse senest ${danishDateTime(n.deactivationAt)}, ` +
      "deaktiveres det automatisk, og dets uleverede post sendes videre til myndighedens primære modtagersystem " +
      "eller, hvis det ikke kan tage imod, til myndighedens postkasse på Virk.",
    "Hvad I kan gøre: kontrollér at systemet kører og svarer på sit endpoint (eller henter sin post), " +
      "og at certifikater og signeringsnøgle er i orden. Så snart en levering lykkes, deaktiveres systemet ikke.",
  ];
  const en = [
    `To the technical and the business contact of the recipient system "${system}" at ${authority} (CVR ${cvr}).`,
    `postvej has not been able to deliver ${msgsEn} to the recipient system "${system}". ` +
      `The first failed attempt for the oldest of them was on ${englishDateTime(n.oldestFailedAt)}. ` +
      (day === 2 ? "That is now more than 2 days ago." : "That is now more than 5 days ago, and this is the second warning."),
    "What happens next: postvej keeps trying to deliver. " +
      `If the system has not received a single message by ${englishDateTime(n.deactivationAt)}, ` +
      "it is deactivated automatically and its undelivered post goes on to the authority's primary recipient system " +
      "or, if that cannot take it, to the authority's mailbox on Virk.",
    "What you can do: check that the system is running and answers at its endpoint (or fetches its post), " +
      "and that certificates and the signing secret are in order. As soon as one delivery succeeds, the system is not deactivated.",
  ];
  return { subject, text: bilingual(da, en, n.portalUrl) };
}
