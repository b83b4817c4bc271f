// Inside workerd: the widget bundle from the Worker's static-assets binding (wrangler.jsonc
// `assets`, run_worker_first), answered by the same route as on Node, with the same headers.
import { env as rawEnv } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import type { Env } from "../../src/worker.ts";
import { call } from "./in-worker.ts";

const env = rawEnv as unknown as Env;
const build = inject("widgetBuild");

const digest = async (algorithm: string, bytes: ArrayBuffer) => new Uint8Array(await crypto.subtle.digest(algorithm, bytes));
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const base64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

/** The bundle's bytes as the binding holds them, and their digests. */
async function stored() {
  const r = await env.ASSETS.fetch("https://assets.invalid/postvej-widgets.js");
  expect(r.status).toBe(200);
  const bytes = await r.arrayBuffer();
  return { bytes, sha256: hex(await digest("SHA-256", bytes)), sha384: base64(await digest("SHA-384", bytes)) };
}

describe("the Worker serves the widget bundle from its static assets", () => {
  it("at the versioned URL the build printed: immutable, the strong ETag of the bytes, CORS, CORP, the printed SRI", async () => {
    const asset = await stored();
    expect(build.path).toBe(`/widgets/${asset.sha256.slice(0, 16)}/postvej-widgets.js`);
    expect(build.integrity).toBe(`sha384-${asset.sha384}`);
    const r = await call("GET", build.path, null, undefined, { origin: "https://portal.example.dk" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(r.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(r.headers.get("etag")).toBe(`"${asset.sha256}"`);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.text).toBe(new TextDecoder().decode(asset.bytes));

    const again = await call("GET", build.path, null, undefined, { "if-none-match": `"${asset.sha256}"` });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.get("etag")).toBe(`"${asset.sha256}"`);
    expect(again.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("at the five-minute alias with the same ETag, and 404 problem+json for a version it does not have", async () => {
    const asset = await stored();
    const r = await call("GET", "/widgets/postvej-widgets.js", null);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("public, max-age=300");
    expect(r.headers.get("etag")).toBe(`"${asset.sha256}"`);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const revalidated = await call("GET", "/widgets/postvej-widgets.js", null, undefined, { "if-none-match": `W/"${asset.sha256}"` });
    expect(revalidated.status).toBe(304);
    const stale = await call("GET", "/widgets/0123456789abcdef/postvej-widgets.js", null);
    expect(stale.status).toBe(404);
    expect(stale.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(stale.json.detail).toContain(`serves widget bundle version ${build.version}`);
  });

  it("holds only the bundle (the build's .assetsignore keeps the npm package's files out) and answers nothing from the store directly", async () => {
    for (const name of ["custom-elements.json", "lib/index.js", "types/index.d.ts", "postvej-widgets.integrity.json"]) {
      const r = await env.ASSETS.fetch(`https://assets.invalid/${name}`);
      await r.body?.cancel();
      expect(r.status, name).toBe(404);
    }
    // run_worker_first: the asset's own path is not a route of the Worker, so it is the app's 404.
    const direct = await call("GET", "/postvej-widgets.js", null);
    expect(direct.status).toBe(404);
    expect(direct.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});
