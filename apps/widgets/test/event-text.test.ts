import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { describeEvent, kindName, type EventContext, type LoggedEvent } from "../src/event-log/event-text.ts";
import { eventQuery, KIND_GROUPS } from "../src/event-log/log-filters.ts";
import { messagesFor } from "../src/shared/i18n/index.ts";

/** Every event type the API records, read from core's source (the widgets do not import core). */
const recorded = [
  ...readFileSync(new URL("../../../packages/core/src/delivery/event-types.ts", import.meta.url), "utf8")
    .split("export const EVENT_TYPE = {")[1]!
    .split("} as const")[0]!
    .matchAll(/:\s*"([a-z_]+)"/g),
].map((m) => m[1]!);

const ctx = (lang: "da" | "en"): EventContext => ({
  t: messagesFor(lang),
  locale: messagesFor(lang).locale,
  systemName: (id) => ({ rs_a: "Sag og Dokument", rs_b: "Byggesag Nord" })[id ?? ""] ?? "?",
  contactPointName: (id) => ({ cp_1: "Borgerservice" })[id ?? ""] ?? "?",
  relocationActor: (id) => (id === "rel_1" ? "Mette Flytter" : ""),
});
const event = (type: string, data: Record<string, unknown> = {}, recipientSystemId: string | null = "rs_a"): LoggedEvent => ({
  at: "2026-11-27T08:00:00.000Z",
  type,
  recipientSystemId,
  data,
});

describe("describeEvent", () => {
  test.each(["da", "en"] as const)("every recorded kind has its own name and a sentence (%s), never the raw code", (lang) => {
    expect(recorded.length).toBeGreaterThan(20);
    const c = ctx(lang);
    for (const type of recorded) {
      expect(kindName(type, c.t), type).not.toBe(type);
      const text = describeEvent(event(type), c);
      expect(text, type).not.toContain(type);
      expect(text, type).toMatch(/\.$/);
    }
  });

  test("the trace's steps, in Danish", () => {
    const c = ctx("da");
    expect(describeEvent(event("received", { senderId: "12345674", sizeBytes: 2048, memoVersion: "1.1" }, null), c)).toBe(
      "Modtaget fra afsender 12345674 (2 KB, MeMo 1.1).",
    );
    expect(describeEvent(event("routed", { reason: "contact_point", contactPointId: "cp_1", custodian: "recipient_system" }), c)).toBe(
      "Dirigeret til Sag og Dokument – meddelelsens kontaktpunkt, kontaktpunkt Borgerservice.",
    );
    expect(
      describeEvent(
        event("attempt_failed", {
          attempt: 2,
          statusCode: 401,
          error: "http_401",
          durationMs: 42,
          nextAttemptAt: "2026-11-27T08:05:00.000Z",
        }),
        c,
      ),
    ).toBe(
      "Forsøg 2 til Sag og Dokument fejlede: svarede 401 (afvist – kontrollér signeringsnøglen) (42 ms). Næste forsøg 27. nov. 2026 kl. 09.05.",
    );
    expect(describeEvent(event("attempt_failed", { attempt: 1, statusCode: null, error: "timeout", durationMs: 15_002 }), c)).toBe(
      "Forsøg 1 til Sag og Dokument fejlede: svarede ikke inden 15 s (15.002 ms).",
    );
    expect(describeEvent(event("attempt_failed", { error: "not_fetched" }), c)).toBe(
      "Sag og Dokument: systemet hentede ikke meddelelsen inden for en time.",
    );
    expect(describeEvent(event("delivered", { attempt: 1, statusCode: 204, durationMs: 12 }), c)).toBe(
      "Leveret til Sag og Dokument i forsøg 1 (svar 204, 12 ms).",
    );
    expect(describeEvent(event("delivered", { receipt: "COMPLETED" }), c)).toBe("Hentet af Sag og Dokument, som kvitterede COMPLETED.");
    expect(describeEvent(event("converted", { from: "1.2", to: "1.1", dropped: ["/a", "/b"] }), c)).toBe(
      "Konverteret fra MeMo 1.2 til 1.1 for Sag og Dokument (2 felter udeladt).",
    );
    expect(describeEvent(event("system_warned", { day: 5, undelivered: 14 }), c)).toBe(
      "Sag og Dokument: advarsel til kontakterne på dag 5 (14 meddelelser ikke leveret).",
    );
    expect(describeEvent(event("system_deactivated", { reason: "automatic", moved: 3, destination: { kind: "virk" } }), c)).toBe(
      "Sag og Dokument blev deaktiveret automatisk (dag 7); 3 meddelelser flyttet til postkassen på Virk.",
    );
    expect(
      describeEvent(
        event(
          "rerouted",
          { from: "rs_a", to: { kind: "primary", systemId: "rs_b", systemName: "Byggesag Nord" }, reason: "failed_seven_days" },
          "rs_b",
        ),
        c,
      ),
    ).toBe("Flyttet fra Sag og Dokument til Byggesag Nord, fordi levering fejlede i 7 døgn.");
    expect(describeEvent(event("relocated", { relocationId: "rel_1", contactPointId: "cp_1" }, "rs_b"), c)).toBe(
      "Flyttet fra Virk af Mette Flytter til kontaktpunktet Borgerservice – Byggesag Nord.",
    );
    expect(describeEvent(event("manual_redelivery", { by: "drift" }), c)).toBe(
      "drift bad om at levere meddelelsen igen til Sag og Dokument.",
    );
  });

  test("in English", () => {
    const c = ctx("en");
    expect(
      describeEvent(
        event("system_deactivated", { reason: "manual", moved: 1, destination: { kind: "primary", systemName: "Byggesag Nord" } }),
        c,
      ),
    ).toBe("Sag og Dokument was deactivated by hand; 1 message moved to Byggesag Nord.");
    expect(describeEvent(event("landed_in_virk", {}, null), c)).toBe("Put in the Virk mailbox.");
  });
});

describe("the list's filters as the API query", () => {
  test("a group asks for several types; days are whole Danish days, the last one included", () => {
    const q = eventQuery({ recipientSystemId: "rs_a", kind: "g:failures", from: "2026-11-27", to: "2026-11-27" });
    expect(q.get("recipientSystemId")).toBe("rs_a");
    expect(q.get("type")).toBe(KIND_GROUPS.failures.join(","));
    expect(q.get("from")).toBe("2026-11-26T23:00:00.000Z");
    expect(q.get("to")).toBe("2026-11-27T23:00:00.000Z");
    expect(eventQuery({ recipientSystemId: "", kind: "delivered", from: "", to: "" }).toString()).toBe("type=delivered");
    for (const types of Object.values(KIND_GROUPS)) for (const type of types) expect(recorded).toContain(type);
  });
});
