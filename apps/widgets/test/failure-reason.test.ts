import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { describeFailure } from "../src/shared/failure-reason.ts";
import { messagesFor } from "../src/shared/i18n/index.ts";

const da = messagesFor("da");
const en = messagesFor("en");
const say = (statusCode: number | null, error: string | null, durationMs = 10, t = da) =>
  describeFailure({ statusCode, error, durationMs }, t);

/** The stable errors the API records for a push without an HTTP answer, read from its source (the widgets do not import the API). */
const pushErrors = [
  ...readFileSync(new URL("../../api/src/delivery/push-client.ts", import.meta.url), "utf8")
    .split("export const PUSH_ERROR = {")[1]!
    .split("} as const")[0]!
    .matchAll(/:\s*"([a-z_]+)"/g),
].map((m) => m[1]!);

describe("describeFailure", () => {
  test("the texts the issue names, in Danish and in English", () => {
    expect(say(401, "http_401")).toBe("svarede 401 (afvist – kontrollér signeringsnøglen)");
    expect(say(401, "http_401", 10, en)).toBe("answered 401 (refused — check the signing secret)");
    expect(say(null, "connection_refused")).toBe("forbindelsen blev afvist");
    expect(say(null, "connection_refused", 10, en)).toBe("the connection was refused");
    expect(say(null, "timeout", 15_003)).toBe("svarede ikke inden 15 s");
    expect(say(null, "timeout", 10_000, en)).toBe("did not answer within 10 s");
    expect(say(302, "redirect_not_followed")).toBe("svarede 302 (omdirigering følges ikke – angiv den endelige adresse)");
    expect(say(null, "redirect_not_followed", 10, en)).toBe("redirects are not followed — give the final address");
    expect(say(503, "http_503")).toBe("svarede 503 (midlertidigt utilgængelig)");
    expect(say(429, "http_429", 10, en)).toBe("answered 429 (too many requests — postvej tries again later)");
    expect(say(599, "http_599")).toBe("svarede 599 (fejl hos modtageren)");
    expect(say(418, "http_418", 10, en)).toBe("answered 418 (refused)");
  });

  test("every PUSH_ERROR of the API, and the API's other failure texts, read as words in both languages, never as the code", () => {
    expect(pushErrors.length).toBeGreaterThanOrEqual(11);
    const others = [
      "no_signing_secret",
      "endpoint_refused: plain http is allowed only to loopback",
      "no endpoint",
      "plain http is allowed only to loopback (127.0.0.0/8, ::1, localhost)",
    ];
    for (const t of [da, en]) {
      for (const error of [...pushErrors, ...others]) {
        const text = say(null, error, 15_000, t);
        expect(text, error).not.toBe(t.failure.unknown);
        expect(text, error).not.toMatch(/_|http/);
      }
    }
    expect(say(null, "something_new")).toBe("levering mislykkedes");
    expect(say(null, "constructor")).toBe("levering mislykkedes");
  });
});
