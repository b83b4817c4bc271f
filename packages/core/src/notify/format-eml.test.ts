import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { formatEml, messageIdHeader, rfc5322Date } from "./format-eml.ts";

const longDanish =
  "Advarsel: 3 meddelelser kan ikke leveres til ESDH Øst (Ærø Kommune) / Warning: 3 messages cannot be delivered to ESDH Øst (Ærø Kommune)";
const body =
  "Første linje med æøå og € og et lighedstegn = her.\n" +
  "x".repeat(200) +
  "\n" +
  ".linje der starter med punktum\n" +
  "From her, som mbox ville ændre\n" +
  "slutter med mellemrum   \n" +
  "ø".repeat(60) +
  "\n";

describe("formatEml", () => {
  const eml = formatEml({
    messageId: "ntf_abc123",
    from: "postvej@postvej.example",
    to: ["teknik@kommune.dk", "forretning@kommune.dk"],
    subject: longDanish,
    text: body,
    date: new Date("2026-11-27T06:20:14.000Z"),
  });

  it("uses CRLF everywhere and keeps every line within 76 characters", () => {
    expect(eml).not.toMatch(/[^\r]\n/);
    expect(eml).not.toMatch(/\r(?!\n)/);
    for (const line of eml.split("\r\n")) expect(line.length).toBeLessThanOrEqual(76);
    expect(eml).toMatch(/^[\x00-\x7f]*$/);
  });

  it("declares UTF-8 plain text and a quoted-printable body", () => {
    expect(eml).toContain("Content-Type: text/plain; charset=utf-8\r\n");
    expect(eml).toContain("Content-Transfer-Encoding: quoted-printable\r\n");
    expect(eml).toContain("MIME-Version: 1.0\r\n");
    expect(eml).toContain("Date: Fri, 27 Nov 2026 06:20:14 +0000\r\n");
    expect(eml).toContain("Message-ID: <ntf_abc123@postvej.example>\r\n");
    expect(eml).toMatch(/Subject: =\?utf-8\?B\?/);
  });

  it("parses back to the same subject, body and recipients with an independent MIME parser", async () => {
    const parsed = await PostalMime.parse(eml);
    expect(parsed.subject).toBe(longDanish);
    expect(parsed.text?.replace(/\r\n/g, "\n")).toBe(body);
    expect(parsed.to?.map((a) => ("address" in a ? a.address : ""))).toEqual(["teknik@kommune.dk", "forretning@kommune.dk"]);
    expect(parsed.from?.address).toBe("postvej@postvej.example");
    expect(parsed.messageId).toBe("<ntf_abc123@postvej.example>");
  });

  it("leaves a short ASCII subject readable", async () => {
    const simple = formatEml({ messageId: "<a@b>", from: "x@y", to: ["z@y"], subject: "Hello", text: "Hi", date: new Date(0) });
    expect(simple).toContain("Subject: Hello\r\n");
    expect((await PostalMime.parse(simple)).text?.trim()).toBe("Hi");
  });

  it("refuses header injection through addresses", () => {
    const mail = { messageId: "a", from: "x@y", to: ["z@y"], subject: "s", text: "t", date: new Date(0) };
    expect(() => formatEml({ ...mail, to: ["a@b\r\nBcc: c@d"] })).toThrow();
    expect(() => formatEml({ ...mail, from: "x@y\nBcc: c@d" })).toThrow();
    expect(() => formatEml({ ...mail, to: [] })).toThrow();
    const s = formatEml({ ...mail, subject: "a\r\nBcc: c@d" });
    expect(s).not.toMatch(/^Bcc:/m);
  });

  it("names the outbox row in its own header when asked", async () => {
    const mail = { messageId: "ntf_q", from: "x@y", to: ["z@y"], subject: "s", text: "t", date: new Date(0) };
    expect(formatEml(mail)).not.toContain("X-Postvej-Notification-Id");
    const eml = formatEml({ ...mail, notificationId: "ntf_q" });
    expect(eml).toContain("\r\nX-Postvej-Notification-Id: ntf_q\r\n");
    expect((await PostalMime.parse(eml)).headers.find((h) => h.key === "x-postvej-notification-id")?.value).toBe("ntf_q");
    expect(() => formatEml({ ...mail, notificationId: "a\r\nBcc: c@d" })).toThrow();
  });

  it("builds Message-IDs and dates", () => {
    expect(messageIdHeader("ntf_x", "postvej <p@mail.example>")).toBe("<ntf_x@mail.example>");
    expect(messageIdHeader("ntf_x", "nobody")).toBe("<ntf_x@postvej.invalid>");
    expect(messageIdHeader("<a@b>", "x@y")).toBe("<a@b>");
    expect(rfc5322Date(new Date("2026-01-05T23:04:05Z"))).toBe("Mon, 5 Jan 2026 23:04:05 +0000");
  });
});
