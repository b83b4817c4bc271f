// A JSON body is read as sent or refused: one in another media type (curl's -d without a
// Content-Type sends application/x-www-form-urlencoded) is 415 and changes nothing, where it used to
// be read as {} (a PATCH answered 200 having changed nothing; graceHours: 0 became the default 24).
// An empty body is {} whatever its type, and a body over 2 MB is 413 before it is parsed. Every
// issue names its field, an unknown one too.
import { beforeEach, describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES } from "../src/json-body.ts";
import { must } from "./support/reply.ts";
import { CVR, createTestApp, seedAuthority, type TestApp } from "./support/test-app.ts";

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const JSON_TYPE = { "content-type": "application/json" };

let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
beforeEach(async () => {
  t = await createTestApp();
  s = await seedAuthority(t);
});

const systemPath = () => `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`;

async function rotations(): Promise<number> {
  const rows = await t.db.selectFrom("events").select("id").where("type", "=", "signing_secret_rotated").execute();
  return rows.length;
}

describe("JSON request bodies", () => {
  it("refuses a JSON body sent as a form or with no type with 415, changing nothing", async () => {
    for (const headers of [FORM, {}, { "content-type": "text/plain" }]) {
      const patch = await t.call("PATCH", systemPath(), s.admin, JSON.stringify({ name: "renamed" }), headers);
      expect(patch.status).toBe(415);
      expect(patch.headers.get("content-type")).toContain("application/problem+json");
      expect(patch.json.code).toBe("unsupported_media_type");
      expect(patch.json.detail).toContain("application/json");
    }
    expect(must(await t.call("GET", systemPath(), s.admin), 200).name).toBe("primary");

    const rotate = await t.call("POST", `${systemPath()}/signing-secret`, s.admin, JSON.stringify({ graceHours: 0 }), FORM);
    expect(rotate.status).toBe(415);
    expect(await rotations()).toBe(0);
    expect(must(await t.call("GET", systemPath(), s.admin), 200).previousSecretValidUntil).toBeNull();
  });

  it("takes graceHours 0 when it is sent as JSON, and an empty JSON body as no fields", async () => {
    const dropped = must(await t.call("POST", `${systemPath()}/signing-secret`, s.admin, { graceHours: 0 }), 201);
    expect(must(await t.call("GET", systemPath(), s.admin), 200).previousSecretValidUntil).toBeNull();
    expect(dropped.signingSecret).toMatch(/^whsec_/);

    const before = Date.now();
    const defaulted = must(await t.call("POST", `${systemPath()}/signing-secret`, s.admin, "", JSON_TYPE), 201);
    const graceMs = Date.parse(defaulted.previousValidUntil) - before;
    expect(graceMs).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
    expect(graceMs).toBeLessThanOrEqual(24 * 3600_000 + 60_000);
    expect(await rotations()).toBe(2);
  });

  it("a PATCH with no fields changes nothing, not even the time of the last change", async () => {
    const cp = `/v1/authorities/${CVR}/contact-points/${s.cpPrimary.id}`;
    for (const path of [systemPath(), cp]) {
      const before = must(await t.call("GET", path, s.admin), 200);
      t.clock.set("2026-11-27T10:00:00Z");
      expect(must(await t.call("PATCH", path, s.admin, {}), 200)).toEqual(before);
      expect(must(await t.call("PATCH", path, s.admin, "", JSON_TYPE), 200)).toEqual(before);
      expect(must(await t.call("GET", path, s.admin), 200)).toEqual(before);
    }
  });

  it("reads the JSON media types with parameters and suffixes", async () => {
    const charset = await t.call("PATCH", systemPath(), s.admin, JSON.stringify({ name: "one" }), {
      "content-type": "application/json; charset=utf-8",
    });
    expect(must(charset, 200).name).toBe("one");
    const merge = await t.call("PATCH", systemPath(), s.admin, JSON.stringify({ name: "two" }), {
      "content-type": "application/merge-patch+json",
    });
    expect(must(merge, 200).name).toBe("two");
  });

  it("still answers malformed JSON with 422 malformed_json", async () => {
    const broken = await t.call("PATCH", systemPath(), s.admin, "{ name:", JSON_TYPE);
    expect(broken.status).toBe(422);
    expect(broken.json).toMatchObject({ code: "malformed_json", issues: [{ path: "", code: "malformed_json" }] });
  });

  it('names an unknown field itself, and a body that is no object by the path ""', async () => {
    const unknown = await t.call("PATCH", systemPath(), s.admin, { name: "x", protocol: "REST_PULL", colour: "red" });
    expect(unknown.status).toBe(422);
    expect(unknown.json.code).toBe("invalid_input");
    expect(unknown.json.issues).toEqual([
      { path: "protocol", code: "unrecognized_keys", message: 'unknown field "protocol"' },
      { path: "colour", code: "unrecognized_keys", message: 'unknown field "colour"' },
    ]);
    expect(unknown.json.detail).toBe("invalid json: protocol, colour");
    const list = await t.call("PATCH", systemPath(), s.admin, "[1]", JSON_TYPE);
    expect(list.status).toBe(422);
    expect(list.json.issues).toMatchObject([{ path: "", code: "invalid_type" }]);
    expect(must(await t.call("GET", systemPath(), s.admin), 200).name).toBe("primary");
  });

  it("answers a JSON body over the limit 413, declared or streamed, and changes nothing", async () => {
    const huge = JSON.stringify({ name: "x".repeat(MAX_JSON_BODY_BYTES) });
    const declared = await t.call("PATCH", systemPath(), s.admin, huge, JSON_TYPE);
    expect(declared.status).toBe(413);
    expect(declared.json.code).toBe("payload_too_large");

    const bytes = new TextEncoder().encode(huge);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 256 * 1024) controller.enqueue(bytes.slice(at, at + 256 * 1024));
        controller.close();
      },
    });
    const res = await t.app.request(
      new Request(`http://postvej.test${systemPath()}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${s.admin}`, ...JSON_TYPE },
        body: streamed,
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("payload_too_large");
    expect(must(await t.call("GET", systemPath(), s.admin), 200).name).toBe("primary");
  });

  it("lists 413 and 415 in the OpenAPI document for an operation with a JSON body", async () => {
    const doc = must(await t.call("GET", "/openapi.json", null), 200);
    const responses = doc.paths["/v1/authorities/{cvr}/recipient-systems/{id}"].patch.responses;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(["413", "415", "422"]));
    expect(responses["415"].description).toContain("application/json");
  });
});

describe("text in JSON bodies", () => {
  const PATCH_NAME = (name: string) => `{"name":"${name}"}`;

  it("refuses a lone surrogate escape (\\ud800) with 422 naming the field, and stores nothing", async () => {
    for (const escaped of ["A\\ud800B", "A\\udc00", "\\ud800", "A\\udbff\\udbffB"]) {
      const r = await t.call("PATCH", systemPath(), s.admin, PATCH_NAME(escaped), JSON_TYPE);
      expect(r.status, escaped).toBe(422);
      expect(r.headers.get("content-type")).toContain("application/problem+json");
      expect(r.json.code).toBe("invalid_input");
      expect(r.json.issues).toEqual([{ path: "name", code: "invalid_text", message: expect.stringContaining("lone UTF-16 surrogate") }]);
    }
    expect(must(await t.call("GET", systemPath(), s.admin), 200).name).toBe("primary");
  });

  it("names a nested field, an array element and a key, all at once", async () => {
    const body = '{"technicalContact":{"name":"T\\udfff","email":"t@example.dk"},"name":"ok","\\ud83dx":1}';
    const r = await t.call("PATCH", systemPath(), s.admin, body, JSON_TYPE);
    expect(r.status).toBe(422);
    expect(r.json.issues.map((i: { path: string }) => i.path)).toEqual(["technicalContact.name", "\ud83dx"]);
    const relocation = await t.call(
      "POST",
      `/v1/authorities/${CVR}/relocations`,
      s.admin,
      '{"selection":{"messageUUIDs":["a","b\\ud800"]},"preferOriginal":true}',
      JSON_TYPE,
    );
    expect(relocation.status).toBe(422);
    expect(relocation.json.issues).toEqual([expect.objectContaining({ path: "selection.messageUUIDs.1", code: "invalid_text" })]);
  });

  it("takes a surrogate pair (an emoji, escaped or as UTF-8) as the character it is", async () => {
    expect(must(await t.call("PATCH", systemPath(), s.admin, PATCH_NAME("Post \\ud83d\\udcec"), JSON_TYPE), 200).name).toBe("Post 📬");
    expect(must(await t.call("PATCH", systemPath(), s.admin, PATCH_NAME("Æbleø 📮"), JSON_TYPE), 200).name).toBe("Æbleø 📮");
  });

  it("refuses a body that is not UTF-8 (a surrogate's bytes, Latin-1) as malformed, never as U+FFFD", async () => {
    const utf8 = new TextEncoder();
    for (const bytes of [
      Uint8Array.from([...utf8.encode('{"name":"A'), 0xed, 0xa0, 0x80, ...utf8.encode('B"}')]),
      Uint8Array.from([...utf8.encode('{"name":"S'), 0xf8, ...utf8.encode('ren"}')]),
    ]) {
      const r = await t.call("PATCH", systemPath(), s.admin, bytes, JSON_TYPE);
      expect(r.status).toBe(422);
      expect(r.json).toMatchObject({
        code: "malformed_json",
        issues: [{ path: "", code: "malformed_json", message: "the body is not UTF-8" }],
      });
    }
    expect(must(await t.call("GET", systemPath(), s.admin), 200).name).toBe("primary");
  });
});
