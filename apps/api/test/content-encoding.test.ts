import { gzipSync } from "node:zlib";
import { beforeEach, describe, expect, it } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";
import { countMessages, createTestApp, CVR, seedAuthority, type TestApp } from "./support/test-app.ts";

// postvej takes MeMo bodies uncompressed: a Content-Encoding other than identity is refused (415)
// before the body is read, instead of the compressed bytes being stored as if they were the document.

let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
beforeEach(async () => {
  t = await createTestApp();
  s = await seedAuthority(t);
});

const count = () => countMessages(t);
const submit = (body: string | Uint8Array, encoding?: string) =>
  t.call("POST", "/v1/messages", s.sender, body, {
    "content-type": "application/xml",
    ...(encoding !== undefined ? { "content-encoding": encoding } : {}),
  });

describe("Content-Encoding on POST /v1/messages", () => {
  it.each(["gzip", "br", "deflate", "GZIP", "identity, gzip"])("%s: 415 unsupported_content_encoding, nothing stored", async (encoding) => {
    const m = memoFor(CVR);
    const r = await submit(encoding.toLowerCase().includes("gzip") ? new Uint8Array(gzipSync(m.xml)) : m.xml, encoding);
    expect(r.status).toBe(415);
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    expect(r.json).toMatchObject({ status: 415, code: "unsupported_content_encoding" });
    expect(r.json.detail).toContain("uncompressed");
    expect(await count()).toBe(0);
  });

  it.each([["identity"], ["Identity"], [undefined]])("%s: accepted", async (encoding) => {
    const r = await submit(memoFor(CVR).xml, encoding);
    expect(r.status).toBe(202);
    expect(await count()).toBe(1);
  });

  it("is refused before the body is read (a body that never ends is not waited for)", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode("\x1f\x8b"));
      },
    }); // never closes
    const res = await t.app.request("/v1/messages", {
      method: "POST",
      body,
      duplex: "half",
      headers: { authorization: `Bearer ${s.sender}`, "content-type": "application/xml", "content-encoding": "gzip" },
    } as RequestInit);
    expect(res.status).toBe(415);
    expect(((await res.json()) as { code: string }).code).toBe("unsupported_content_encoding");
  });

  it("is in the OpenAPI document of the route", async () => {
    const doc = (await t.call("GET", "/openapi.json", null)).json;
    const responses = doc.paths["/v1/messages"].post.responses;
    expect(responses["415"].content["application/problem+json"].schema.properties.code.enum).toEqual([
      "unsupported_media_type",
      "unsupported_content_encoding",
    ]);
    for (const status of ["408", "413", "503"]) expect(responses[status]).toBeDefined();
  });
});
