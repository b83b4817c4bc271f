import { describe, expect, it } from "vitest";
import { checkSimpleType, codePointLength } from "./simple-types.ts";
import type { SimpleTypeName } from "./schema.ts";
import { isAnyUri } from "./any-uri.ts";

// Expected verdicts are what libxml2 2.9.14 (`xmllint --schema`) answered for the same values.
const CASES: [SimpleTypeName, string, boolean][] = [
  ["dateTime", "2018-05-03T12:00:00Z", true],
  ["dateTime", " 2018-05-03T12:00:00Z\n", true],
  ["dateTime", "2018-05-03T12:00:00+00:00", false],
  ["dateTime", "2018-05-03T24:00:00Z", true],
  ["dateTime", "2018-05-03T24:00:01Z", false],
  ["dateTime", "2018-02-30T12:00:00Z", false],
  ["dateTime", "2016-02-29T12:00:00Z", true],
  ["dateTime", "0000-05-03T12:00:00Z", false],
  ["dateTime", "-0001-05-03T12:00:00Z", true],
  ["dateTime", "12018-05-03T12:00:00Z", true],
  ["dateTime", "02018-05-03T12:00:00Z", false],
  ["dateTime", "2018-05-03T12:00:60Z", false],
  ["dateTime", "2018-05-03T12:00:00.Z", false],
  ["dateTime", "9223372036854775807-01-01T00:00:00Z", true],
  ["dateTime", "9223372036854775808-01-01T00:00:00Z", false],
  ["dateTime", "-9223372036854775808-01-01T00:00:00Z", false],
  ["date", "99999999999-02-29", false],
  ["date", "4000-02-29", true],
  ["date", "2025-09-15", true],
  ["date", " 2025-09-15", false],
  ["date", "2025-09-15+14:00", true],
  ["date", "2025-09-15+14:01", false],
  ["date", "1900-02-29", false],
  ["date", "2000-02-29", true],
  ["boolean", " true ", true],
  ["boolean", "TRUE", false],
  ["boolean", "", false],
  ["language", " da ", true],
  ["language", "dan", false],
  ["language", "d1", false],
  ["base64", "VGhp cyBp cyBh IHRl c3Q=", true],
  ["base64", "VGhpcyBpcyBhIHRlc3R=", false],
  ["base64", "VGhp!cyBp", true],
  ["base64", "VGhpc=w=", false],
  ["base64", "", true],
  ["gln", "9999999999999", true],
  ["gln", "10000000000000", false],
  ["gln", " 5", false],
  ["gln", "-9223372036854775808", true],
  ["gln", "-9223372036854775809", false],
  ["uuid", "8C2EA15D-61FB-4BA9-9366-42F8B194C114", true],
  ["uuid", "8C2EA15D-61FB-3BA9-9366-42F8B194C114", false],
  ["text", "a".repeat(256), true],
  ["text", "a".repeat(257), false],
  ["text", "😀".repeat(256), true],
  ["notification", "ø".repeat(161), false],
  ["messageType", " DIGITALPOST", false],
];

describe("checkSimpleType agrees with libxml2", () => {
  it.each(CASES)("%s %j → %s", (type, value, valid) => {
    expect(checkSimpleType(type, value) === null).toBe(valid);
  });
});

describe("isAnyUri (libxml2's reading)", () => {
  it.each([
    ["https://www.tusindfryd.dk/spørgeskema.html", true],
    ["https://a b", true],
    ["%zz", false],
    ["http://[::1", false],
    ["a#b#c", false],
    ["::", false],
    ["http://x:abc/", false],
    ["", true],
    ["http://x.dk/#[a]", true],
    ["http://x.dk/[a]", false],
    ["h1+.-:x", true],
  ] as const)("%j → %s", (value, valid) => expect(isAnyUri(value)).toBe(valid));
});

it("counts code points, not UTF-16 units", () => {
  expect(codePointLength("a😀b")).toBe(3);
});
