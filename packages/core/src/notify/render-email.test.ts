import { describe, expect, it } from "vitest";
import { EMAIL_TEMPLATE } from "./email-template.ts";
import type { Notice } from "./notice.ts";
import { renderEmail } from "./render-email.ts";

const base = { authorityName: "Testkommune", authorityCvr: "29189846" };

const NOTICES: Record<string, Notice> = {
  warningDay2: {
    ...base,
    template: "warning_day2",
    systemName: "ESDH Øst",
    undeliveredCount: 3,
    oldestFailedAt: "2026-11-25T06:20:00.000Z",
    deactivationAt: "2026-12-02T06:20:00.000Z",
    portalUrl: "https://portal.testkommune.dk/postvej",
  },
  warningDay5: {
    ...base,
    template: "warning_day5",
    systemName: "ESDH Øst",
    undeliveredCount: 1,
    oldestFailedAt: "2026-07-01T22:30:00.000Z",
    deactivationAt: "2026-07-08T22:30:00.000Z",
  },
  deactivatedPrimary: {
    ...base,
    template: "deactivated",
    systemName: "ESDH Øst",
    movedCount: 12,
    destination: { kind: "primary", systemName: "Sagssystem Vest" },
  },
  deactivatedVirk: {
    ...base,
    template: "deactivated",
    systemName: "ESDH Øst",
    movedCount: 1,
    destination: { kind: "virk" },
    portalUrl: "https://portal.testkommune.dk/",
  },
  virkDigest: {
    ...base,
    template: "virk_digest",
    count: 7,
    since: "2026-11-27T05:00:00Z",
    until: "2026-11-27T06:00:00Z",
  },
  relocationFinished: {
    ...base,
    template: "relocation_receipt",
    relocationId: "rel_abc",
    actorName: "Mette Hansen",
    state: "finished",
    moved: 5,
    skipped: 2,
    targets: [
      { contactPointName: "Borgerservice", systemName: "ESDH Øst", count: 3 },
      { contactPointName: "Byggesager", systemName: "Sagssystem Vest", count: 2 },
    ],
  },
  relocationStopped: {
    ...base,
    template: "relocation_receipt",
    relocationId: "rel_def",
    actorName: "Ole",
    state: "stopped",
    moved: 0,
    skipped: 0,
    targets: [],
  },
};

const subjectOf = (n: Notice) => renderEmail(n).subject;
/** The English part's first paragraph: `Subject: …`, the subject's translation. */
const englishSubjectOf = (n: Notice) => /----- English -----\n\nSubject: (.*)\n/.exec(renderEmail(n).text)?.[1] ?? "";
const LONG_NAME = "Center for Digitalisering, Teknik og Miljø – Fagsystem til Byggesagsbehandling";

describe("renderEmail", () => {
  it.each(Object.entries(NOTICES))("%s: a Danish subject, the English one heading the English part, Danish text first", (_, n) => {
    const { subject, text } = renderEmail(n);
    expect(subject).toMatch(/[æøå]|Advarsel|Kvittering|Modtagersystemet|meddelelse/);
    expect(subject).not.toMatch(/Warning|Receipt|recipient system|message/);
    expect(englishSubjectOf(n)).toMatch(/Warning|Receipt|recipient system|message/);
    expect(text.indexOf("----- English -----")).toBeGreaterThan(0);
    expect(text).toContain("Testkommune");
    expect(text).toContain("CVR 29189846");
    expect(text).toMatch(/Hvad sker der nu/);
    expect(text).toMatch(/What happens next/);
  });

  it("keeps every subject, Danish and English, within 78 characters, even for long names, and names no internal id", () => {
    const long = Object.values(NOTICES).flatMap((n) => [
      n,
      { ...n, authorityName: LONG_NAME },
      ...("systemName" in n ? [{ ...n, systemName: LONG_NAME, authorityName: LONG_NAME }] : []),
    ]) as Notice[];
    for (const n of long) {
      for (const s of [subjectOf(n), englishSubjectOf(n)]) {
        expect([...s].length, s).toBeLessThanOrEqual(78);
        expect(s).not.toMatch(/\b(rel|rs|cp|ntf|msg)_[A-Za-z0-9]+/);
      }
    }
    // Where a name must be cut, it ends in "…" and the subject still says what happened.
    const cut = subjectOf({ ...NOTICES.deactivatedPrimary!, systemName: LONG_NAME } as Notice);
    expect(cut).toMatch(/^Modtagersystemet Center for .*… er deaktiveret$/);
    // A short one keeps both names.
    expect(subjectOf(NOTICES.warningDay2!)).toBe("Advarsel: 3 meddelelser kan ikke leveres til ESDH Øst hos Testkommune");
  });

  it("names the move in a receipt's text, never in its subject", () => {
    const r = renderEmail(NOTICES.relocationFinished!);
    expect(r.subject).toBe("Kvittering: 5 meddelelser flyttet fra Virk (Testkommune)");
    expect(r.subject).not.toContain("rel_abc");
    expect(r.text).toContain("Flytningens reference: rel_abc");
    // 82 characters with the authority's name: it is left out.
    expect(subjectOf(NOTICES.relocationStopped!)).toBe("Kvittering (flytningen blev stoppet): 0 meddelelser flyttet fra Virk");
  });

  it("writes the digest's period once: one instant, within one day, or across days", () => {
    const digest = (since: string, until: string) => renderEmail({ ...NOTICES.virkDigest!, since, until } as Notice).text;
    const same = digest("2026-12-10T07:17:00Z", "2026-12-10T07:17:40Z");
    expect(same).toContain("Den 10. december 2026 kl. 08.17 er der kommet 7 nye meddelelser");
    expect(same).not.toMatch(/Fra .* til /);
    expect(same).toContain("On 10 December 2026 at 08:17 (Danish time), 7 new messages came");
    const day = digest("2026-11-27T05:00:00Z", "2026-11-27T06:00:00Z");
    expect(day).toContain("Den 27. november 2026 mellem kl. 06.00 og 07.00 er der kommet 7 nye meddelelser");
    expect(day).toContain("On 27 November 2026 between 06:00 and 07:00 (Danish time)");
    // Midnight in Copenhagen, not in UTC, splits the days.
    const across = digest("2026-12-09T22:30:00Z", "2026-12-09T23:30:00Z");
    expect(across).toContain("Fra 9. december 2026 kl. 23.30 til 10. december 2026 kl. 00.30 er der kommet");
  });

  it("never contains a 10-digit run (CPR-like) in any template", () => {
    for (const n of Object.values(NOTICES)) {
      const { subject, text } = renderEmail(n);
      expect(`${subject}\n${text}`).not.toMatch(/\d{10}/);
      // nor a CPR written as DDMMYY-SSSS
      expect(`${subject}\n${text}`).not.toMatch(/\d{6}-\d{4}/);
    }
  });

  it("links only to the portal URL, and to nothing when there is none", () => {
    for (const n of Object.values(NOTICES)) {
      const { subject, text } = renderEmail(n);
      const urls = `${subject} ${text}`.match(/\bhttps?:\/\/\S+/g) ?? [];
      if (n.portalUrl) expect(urls).toEqual([n.portalUrl, n.portalUrl]);
      else expect(urls).toEqual([]);
    }
    const hostile = renderEmail({ ...NOTICES.virkDigest!, portalUrl: "javascript:alert(1)" } as Notice);
    expect(hostile.text).not.toContain("javascript:");
  });

  it("names system, count and dates in Danish format and Danish time", () => {
    const w = renderEmail(NOTICES.warningDay2!);
    expect(w.subject).toContain("ESDH Øst");
    expect(w.subject).toContain("3 meddelelser");
    expect(englishSubjectOf(NOTICES.warningDay2!)).toContain("3 messages");
    // 06:20 UTC in November is 07.20 in Copenhagen (CET)
    expect(w.text).toContain("25. november 2026 kl. 07.20");
    expect(w.text).toContain("2. december 2026 kl. 07.20");
    // 22:30 UTC in July is 00.30 the next day (CEST)
    const w5 = renderEmail(NOTICES.warningDay5!);
    expect(w5.text).toContain("2. juli 2026 kl. 00.30");
    expect(w5.subject).toMatch(/^Anden advarsel: 1 meddelelse kan ikke/);
    expect(englishSubjectOf(NOTICES.warningDay5!)).toContain("1 message cannot");
  });

  it("tells where a deactivated system's post went", () => {
    expect(renderEmail(NOTICES.deactivatedPrimary!).text).toContain('primære modtagersystem "Sagssystem Vest"');
    expect(renderEmail(NOTICES.deactivatedPrimary!).text).toContain("12 uleverede meddelelser");
    expect(renderEmail(NOTICES.deactivatedVirk!).text).toContain("postkasse på Virk");
    expect(renderEmail(NOTICES.deactivatedVirk!).text).toContain("1 undelivered message has gone on");
  });

  it("lists relocation targets and says when a move was stopped", () => {
    const r = renderEmail(NOTICES.relocationFinished!);
    expect(r.text).toContain('- 3 meddelelser til kontaktpunktet "Borgerservice" (modtagersystemet "ESDH Øst")');
    expect(r.text).toContain("Mette Hansen");
    expect(r.text).toContain("Ikke flyttet: 2 meddelelser");
    expect(renderEmail(NOTICES.relocationStopped!).text).toContain("stoppet");
  });

  it("keeps injected line breaks out of the subject", () => {
    const r = renderEmail({ ...NOTICES.virkDigest!, authorityName: "Evil\r\nBcc: x@y" } as Notice);
    expect(r.subject).not.toMatch(/[\r\n]/);
  });

  it("names all templates in EMAIL_TEMPLATE", () => {
    expect(Object.values(EMAIL_TEMPLATE).sort()).toEqual([
      "deactivated",
      "relocation_receipt",
      "virk_digest",
      "warning_day2",
      "warning_day5",
    ]);
  });
});
