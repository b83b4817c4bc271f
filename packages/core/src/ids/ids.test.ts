import { describe, expect, it } from "vitest";
import { isUuidV4, isValidCvr, newId, sha256Hex } from "./index.ts";

describe("isValidCvr", () => {
  it.each([
    ["29189846", true],
    ["12345674", true],
    ["12345678", false],
    ["1234567", false],
    ["123456789", false],
    ["1234567a", false],
  ])("%s → %s", (cvr, ok) => expect(isValidCvr(cvr)).toBe(ok));
});

describe("isUuidV4", () => {
  it("accepts v4 and refuses other versions", () => {
    expect(isUuidV4("8c2ea15d-61fb-4ba9-9366-42f8b194c114")).toBe(true);
    expect(isUuidV4("8c2ea15d-61fb-1ba9-9366-42f8b194c114")).toBe(false);
    expect(isUuidV4("8c2ea15d-61fb-4ba9-c366-42f8b194c114")).toBe(false);
    expect(isUuidV4("8c2ea15d61fb4ba9936642f8b194c114")).toBe(false);
  });
});

describe("ids", () => {
  it("prefixes and hashes", async () => {
    expect(newId("recipientSystem")).toMatch(/^rs_[0-9a-z]{16}$/);
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
