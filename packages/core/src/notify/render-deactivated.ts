import type { DeactivatedNotice, RenderedEmail } from "./notice.ts";
import { bilingual, clean, countDa, countEn, fitSubject } from "./text-helpers.ts";

/** The notice that a recipient system was deactivated, and where its post went. */
export function renderDeactivated(n: DeactivatedNotice): RenderedEmail {
  const system = clean(n.systemName);
  const authority = clean(n.authorityName);
  const cvr = clean(n.authorityCvr);
  const msgsDa = countDa(n.movedCount, "uleveret meddelelse", "uleverede meddelelser");
  const msgsEn = countEn(n.movedCount, "undelivered message", "undelivered messages");
  const dest = n.destination;
  const whereDa =
    dest.kind === "primary" ? `myndighedens primære modtagersystem "${clean(dest.systemName)}"` : "myndighedens postkasse på Virk";
  const whereEn =
    dest.kind === "primary" ? `the authority's primary recipient system "${clean(dest.systemName)}"` : "the authority's mailbox on Virk";
  const subject = fitSubject(system, [
    (s) => `Modtagersystemet ${s} hos ${authority} er deaktiveret`,
    (s) => `Modtagersystemet ${s} er deaktiveret`,
  ]);
  const subjectEn = fitSubject(system, [
    (s) => `The recipient system ${s} at ${authority} has been deactivated`,
    (s) => `The recipient system ${s} has been deactivated`,
  ]);
  const da = [
    `Til den tekniske og den forretningsmæssige kontakt for modtagersystemet "${system}" hos ${authority} (CVR ${cvr}).`,
    `postvej har deaktiveret modtagersystemet "${system}" automatisk, fordi det ikke har modtaget en eneste meddelelse i 7 døgn, og alle leveringsforsøg er mislykkedes.`,
    `${msgsDa} er sendt videre til ${whereDa}.`,
    "Hvad sker der nu: Ny post til systemet går samme vej, indtil en systemadministrator hos myndigheden genaktiverer systemet. " +
      (dest.kind === "virk"
        ? 'Posten på Virk kan flyttes til et kontaktpunkt med funktionen "Flyt post", når et aktivt modtagersystem kan tage imod den.'
        : "Når systemet virker igen, kan en systemadministrator genaktivere det. Derefter går ny post til det igen."),
  ];
  const en = [
    `To the technical and the business contact of the recipient system "${system}" at ${authority} (CVR ${cvr}).`,
    `postvej has deactivated the recipient system "${system}" automatically, because it has not received a single message for 7 days and every delivery attempt failed.`,
    `${msgsEn} ${n.movedCount === 1 ? "has" : "have"} gone on to ${whereEn}.`,
    "What happens next: new post for the system goes the same way until a system administrator at the authority reactivates it. " +
      (dest.kind === "virk"
        ? 'Post in Virk can be moved to a contact point with "Move post" once an active recipient system can take it.'
        : "When the system works again, a system administrator can reactivate it; from then on new post goes to it again."),
  ];
  return { subject, text: bilingual(da, en, n.portalUrl, subjectEn) };
}
