import { describe, expect, it } from "vitest";
import { emlFileName } from "../src/mail/file-transport.ts";
import { MailConfigError, readMailConfig } from "../src/config.ts";
import { describeMailConfig } from "../src/mail/mail-config.ts";
import { bareAddress } from "../src/mail/transport.ts";

describe("readMailConfig", () => {
  it("defaults to files in ./data/mail from postvej@localhost", () => {
    expect(readMailConfig({})).toEqual({ kind: "file", dir: "./data/mail", from: "postvej@localhost" });
    expect(readMailConfig({ POSTVEJ_MAIL_URL: " ", POSTVEJ_MAIL_FROM: "" })).toEqual({
      kind: "file",
      dir: "./data/mail",
      from: "postvej@localhost",
    });
  });

  it.each([
    ["smtp://127.0.0.1:2525", { kind: "smtp", host: "127.0.0.1", port: 2525, secure: false }],
    ["smtp://mail.example.dk", { kind: "smtp", host: "mail.example.dk", port: 587, secure: false }],
    ["smtps://mail.example.dk", { kind: "smtp", host: "mail.example.dk", port: 465, secure: true }],
    [
      "smtps://u%40x:p%3Aw@mail.example.dk:1465",
      { kind: "smtp", host: "mail.example.dk", port: 1465, secure: true, user: "u@x", pass: "p:w" },
    ],
    ["smtp://[::1]:25", { kind: "smtp", host: "::1", port: 25, secure: false }],
    ["file:./var/mail", { kind: "file", dir: "./var/mail" }],
    ["file:///srv/post%20vej/mail", { kind: "file", dir: "/srv/post vej/mail" }],
  ])("parses %s", (url, expected) => {
    expect(readMailConfig({ POSTVEJ_MAIL_URL: url, POSTVEJ_MAIL_FROM: "Postvej <noreply@kommune.dk>" })).toEqual({
      ...expected,
      from: "Postvej <noreply@kommune.dk>",
    });
  });

  it.each(["http://mail.example.dk", "smtp//nohost", "file:", "mailto:x@y"])("refuses %s", (url) => {
    expect(() => readMailConfig({ POSTVEJ_MAIL_URL: url })).toThrow(MailConfigError);
  });

  it("refuses a sender that is no address or carries a line break", () => {
    expect(() => readMailConfig({ POSTVEJ_MAIL_FROM: "postvej" })).toThrow(MailConfigError);
    expect(() => readMailConfig({ POSTVEJ_MAIL_FROM: "a@b\r\nBcc: c@d" })).toThrow(MailConfigError);
  });

  it("never prints the SMTP password", () => {
    const text = describeMailConfig(readMailConfig({ POSTVEJ_MAIL_URL: "smtp://user:s3cret@h:25" }));
    expect(text).toBe("smtp://user:***@h:25, from postvej@localhost");
  });
});

describe("mail helpers", () => {
  it("names .eml files after the outbox id, safely", () => {
    expect(emlFileName("ntf_abc")).toBe("ntf_abc.eml");
    expect(emlFileName("<ntf_abc@postvej.test>")).toBe("ntf_abc.eml");
    const evil = emlFileName("../../etc/passwd");
    expect(evil).not.toMatch(/[\\/]|^\./);
    expect(evil).toMatch(/\.eml$/);
  });

  it("takes the bare address for the envelope", () => {
    expect(bareAddress("Postvej <noreply@kommune.dk>")).toBe("noreply@kommune.dk");
    expect(bareAddress(" a@b ")).toBe("a@b");
  });
});
