import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { startNodeServer, stopNodeServer } from "./support/node-server.ts";
import { createTestApp } from "./support/test-app.ts";

const sriScript = fileURLToPath(new URL("../../widgets/scripts/sri.ts", import.meta.url));

/** The app over a real Node HTTP server, reading the widgets' build output from `dir`/dist as main.ts does. */
async function listen(dir: string) {
  const t = await createTestApp();
  t.deps.widgetAsset = (name) =>
    readFile(join(dir, "dist", name)).then(
      (b) => new Uint8Array(b),
      () => null,
    );
  const app = buildApp(t.deps);
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("the widget bundle's production URLs", () => {
  let dir: string;
  let s: Awaited<ReturnType<typeof listen>>;
  const bundle = `export const hello = "postvej";\nconsole.log(hello);\n`;
  let printed: { path: string; integrity: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "postvej-widgets-"));
    await mkdir(join(dir, "dist"));
    await writeFile(join(dir, "dist", "postvej-widgets.js"), bundle);
    // The widgets build's post-build step, run on this bundle: what it prints is what a vendor copies.
    const { stdout } = await promisify(execFile)(process.execPath, [sriScript, join(dir, "dist")]);
    const [path, integrityLine] = stdout.trim().split("\n");
    printed = { path: path!, integrity: /^integrity="(sha384-[A-Za-z0-9+/=]+)"$/.exec(integrityLine!)![1]! };
    expect(JSON.parse(await readFile(join(dir, "dist", "postvej-widgets.integrity.json"), "utf8"))).toMatchObject(printed);
    s = await listen(dir);
  });
  afterAll(async () => {
    await s?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the versioned URL immutable, with a strong ETag of the bytes, CORS and the SRI the build printed", async () => {
    const sha256 = createHash("sha256").update(bundle).digest("hex");
    expect(printed.path).toBe(`/widgets/${sha256.slice(0, 16)}/postvej-widgets.js`);
    const r = await fetch(`${s.base}${printed.path}`, { headers: { origin: "https://portal.example.dk" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(r.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(r.headers.get("etag")).toBe(`"${sha256}"`);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const bytes = Buffer.from(await r.arrayBuffer());
    expect(bytes.toString()).toBe(bundle);
    expect(`sha384-${createHash("sha384").update(bytes).digest("base64")}`).toBe(printed.integrity);

    const again = await fetch(`${s.base}${printed.path}`, { headers: { "if-none-match": `"${sha256}"` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(`"${sha256}"`);
    expect(again.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(again.headers.get("access-control-allow-origin")).toBe("*");
    expect((await fetch(`${s.base}${printed.path}`, { headers: { "if-none-match": `"other", W/"${sha256}"` } })).status).toBe(304);
    expect((await fetch(`${s.base}${printed.path}`, { headers: { "if-none-match": `"other"` } })).status).toBe(200);
  });

  it("serves the short-cache alias with the same ETag, and 404s a version it does not have", async () => {
    const versioned = await fetch(`${s.base}${printed.path}`);
    const r = await fetch(`${s.base}/widgets/postvej-widgets.js`);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("public, max-age=300");
    expect(r.headers.get("etag")).toBe(versioned.headers.get("etag"));
    expect(r.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(await r.text()).toBe(bundle);
    expect(
      (await fetch(`${s.base}/widgets/postvej-widgets.js`, { headers: { "if-none-match": versioned.headers.get("etag")! } })).status,
    ).toBe(304);
    const stale = await fetch(`${s.base}/widgets/0123456789abcdef/postvej-widgets.js`);
    expect(stale.status).toBe(404);
    expect(stale.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("answers 404 problem+json saying to build when the bundle is not built", async () => {
    const empty = await mkdtemp(join(tmpdir(), "postvej-widgets-none-"));
    const bare = await listen(empty);
    try {
      for (const path of ["/widgets/postvej-widgets.js", printed.path]) {
        const r = await fetch(`${bare.base}${path}`);
        expect(r.status).toBe(404);
        expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(((await r.json()) as { detail: string }).detail).toMatch(/not built; run npm run build -w @postvej\/widgets/);
      }
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe("a runtime without a widget asset reader", () => {
  it("answers 404 problem+json that this server does not serve the bundle", async () => {
    const t = await createTestApp();
    const app = buildApp(t.deps);
    const r = await app.request("/widgets/postvej-widgets.js");
    expect(r.status).toBe(404);
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await r.json()) as { detail: string }).detail).toBe("this server does not serve the widget bundle");
  });
});

describe("the Node entry without --demo (npm run serve)", () => {
  it("serves the widgets' own dist/ bundle at both URLs (or, not built, says to build)", async () => {
    const dbFile = join(await mkdtemp(join(tmpdir(), "postvej-serve-")), "s.db");
    const server = await startNodeServer({
      LIBSQL_URL: `file:${dbFile}`,
      POSTVEJ_OPERATOR_TOKEN: "op_widget_assets_test_token_0123456789",
      POSTVEJ_MAIL_URL: "file:/dev/null/none",
    });
    try {
      const built = await readFile(fileURLToPath(new URL("../../widgets/dist/postvej-widgets.js", import.meta.url))).catch(() => null);
      const alias = await fetch(`${server.base}/widgets/postvej-widgets.js`);
      if (!built) {
        expect(alias.status).toBe(404);
        expect(((await alias.json()) as { detail: string }).detail).toMatch(/not built/);
        return;
      }
      expect(alias.status).toBe(200);
      expect(Buffer.from(await alias.arrayBuffer()).equals(built)).toBe(true);
      const version = createHash("sha256").update(built).digest("hex").slice(0, 16);
      const versioned = await fetch(`${server.base}/widgets/${version}/postvej-widgets.js`);
      expect(versioned.status).toBe(200);
      expect(versioned.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect((await fetch(`${server.base}/demo`)).status).toBe(404);
    } finally {
      await stopNodeServer(server);
    }
  });
});
