import { deflateRawSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { readConfig } from "../src/config.ts";
import { nodeBodyCodec } from "../src/node/node-body-codec.ts";
import { startMemoPool } from "../src/node/memo-pool.ts";
import { bodyToStore, readStoredBody, StoredBodyError, storedForm, webBodyCodec, type BodyCodec } from "../src/services/body-codec.ts";
import { memoFor } from "./support/memo-fixtures.ts";

const XML = new TextEncoder().encode(memoFor("29189846", { name: "v1.2-full" }).xml);
const base = { POSTVEJ_OPERATOR_TOKEN: "op_config_test_0123456789" };
const pool = startMemoPool(1);
/** Plain bytes, whichever view (zlib hands back Buffers). */
const plain = async (bytes: Uint8Array | Promise<Uint8Array>) => new Uint8Array(await bytes);
afterAll(() => pool.close());

describe.each([
  ["zlib (Node)", nodeBodyCodec],
  ["CompressionStream (web, Workers)", webBodyCodec],
] as [string, BodyCodec][])("the body codec: %s", (_name, codec) => {
  const other = codec === nodeBodyCodec ? webBodyCodec : nodeBodyCodec;

  it("deflates MeMo XML about 4× and reads back the very bytes, also what the other codec deflated", async () => {
    const deflated = await codec.deflate(XML);
    expect(deflated.length).toBeLessThan(XML.length / 3.5);
    const stored = { body: deflated, encoding: "deflate-raw" as const, sizeBytes: XML.length };
    expect(await plain(readStoredBody(codec, "m", stored))).toEqual(XML);
    expect(await plain(readStoredBody(other, "m", stored))).toEqual(XML);
  });

  it("refuses a corrupt row, a truncated one and one that inflates beyond its recorded size, each with a clear error", async () => {
    const deflated = await codec.deflate(XML);
    const read = (body: Uint8Array, sizeBytes = XML.length) => readStoredBody(codec, "m-bad", { body, encoding: "deflate-raw", sizeBytes });
    await expect(read(new TextEncoder().encode("this was never deflated"))).rejects.toThrow(StoredBodyError);
    await expect(read(deflated.subarray(0, deflated.length >> 1))).rejects.toThrow(/message m-bad: its stored body/);
    const tooBig = read(deflated, 1000);
    await expect(tooBig).rejects.toThrow(StoredBodyError);
    await expect(tooBig).rejects.toMatchObject({ status: 500, code: "stored_body_unreadable" });
    await expect(read(deflated, XML.length + 1)).rejects.toThrow(`inflates to ${XML.length} bytes, not the ${XML.length + 1} received`);
  });
});

describe("which bodies are stored deflated", () => {
  it("keeps identity rows as they are, and tiny or incompressible bodies as received", async () => {
    const identity = { body: XML, encoding: "identity" as const, sizeBytes: XML.length };
    expect(await readStoredBody(undefined, "m", identity)).toBe(XML);
    const tiny = new TextEncoder().encode("<x>".repeat(300));
    expect(storedForm(tiny, deflateRawSync(tiny)).encoding).toBe("identity");
    const noise = crypto.getRandomValues(new Uint8Array(4096));
    expect(storedForm(noise, deflateRawSync(noise)).encoding).toBe("identity");
    expect(storedForm(XML, deflateRawSync(XML))).toMatchObject({ body: deflateRawSync(XML), encoding: "deflate-raw" });
    expect(await bodyToStore(XML, undefined, undefined)).toEqual({ body: XML, encoding: "identity" });
    expect((await bodyToStore(XML, undefined, nodeBodyCodec.deflate)).encoding).toBe("deflate-raw");
  });

  it("POSTVEJ_BODY_COMPRESSION: auto compresses for a remote database and on Workers, not for an embedded file", () => {
    const on = (env: Record<string, string>, runtime: "node" | "workers" = "node") =>
      readConfig({ ...base, ...env }, { production: false, runtime }).compressBodies;
    expect(on({})).toBe(false);
    expect(on({ LIBSQL_URL: "file:/tmp/x.db" })).toBe(false);
    expect(on({ LIBSQL_URL: "http://127.0.0.1:8080" })).toBe(true);
    expect(on({ LIBSQL_URL: "libsql://db.turso.io" })).toBe(true);
    expect(on({ LIBSQL_URL: "https://db.example" }, "workers")).toBe(true);
    expect(on({ POSTVEJ_BODY_COMPRESSION: "on" })).toBe(true);
    expect(on({ POSTVEJ_BODY_COMPRESSION: "off", LIBSQL_URL: "http://127.0.0.1:8080" })).toBe(false);
    expect(() => on({ POSTVEJ_BODY_COMPRESSION: "gzip" })).toThrow("POSTVEJ_BODY_COMPRESSION=gzip is not auto, on or off");
  });

  it("the MeMo thread deflates a valid document when asked, and only then", async () => {
    const asked = await pool.check(new Uint8Array(XML), { deflate: true });
    expect(asked.ok && asked.deflated).toBeTruthy();
    const deflated = asked.ok ? asked.deflated! : new Uint8Array();
    expect(deflated.byteLength).toBe(deflated.buffer.byteLength); // an array of its own, moved back
    expect(await plain(readStoredBody(nodeBodyCodec, "m", { body: deflated, encoding: "deflate-raw", sizeBytes: XML.length }))).toEqual(
      XML,
    );
    const notAsked = await pool.check(new Uint8Array(XML));
    expect(notAsked.ok && "deflated" in notAsked).toBe(false);
    const invalid = await pool.check(new TextEncoder().encode(`<x>${" ".repeat(5000)}</y>`), { deflate: true });
    expect(invalid.ok || "deflated" in invalid).toBe(false);
  });
});
