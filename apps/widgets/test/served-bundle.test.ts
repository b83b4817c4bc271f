// The bundle as a portal embeds it: a page on its own loopback origin loads
// <script type="module" src="…/widgets/<version>/postvej-widgets.js" integrity crossorigin> from
// postvej on another origin, served by the Node server (`npm run serve`: no demo, the real clock)
// and by the Worker under `wrangler dev` (its static-assets binding, against a real sqld), and the
// status panel shows that postvej's data. A wrong integrity hash must keep the module from running.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startNodeServer, stopNodeServer, type NodeServer } from "../../api/test/support/node-server.ts";
import { type DevWorker, type Sqld, startDevWorker, startSqld, tearDown } from "../../api/test/wrangler-dev/stack.ts";
import { launchBrowser, watchErrors } from "./browser.ts";
import { serveStatic, widgetsDir } from "./npm-scratch.ts";

const OPERATOR = "op_served_bundle_test_0123456789";
const CVR = "34051178";
/** What the widgets build printed (global-setup.ts built it). */
const printed = () =>
  JSON.parse(readFileSync(join(widgetsDir, "dist/postvej-widgets.integrity.json"), "utf8")) as { path: string; integrity: string };

async function must(base: string, path: string, token: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(base + path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as Record<string, unknown>;
}

/** An authority with one pull system, and a portal token to view it. */
async function seed(base: string): Promise<string> {
  await must(base, "/v1/authorities", OPERATOR, { cvr: CVR, name: "Served Kommune" });
  const admin = (await must(base, `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "admin", label: "portal" })).key as string;
  const contact = { name: "Drift", email: "drift@served.example" };
  const system = { name: "Sagssystem", protocol: "REST_PULL", technicalContact: contact, businessContactEmail: contact.email };
  await must(base, `/v1/authorities/${CVR}/recipient-systems`, admin, system);
  return (await must(base, `/v1/authorities/${CVR}/portal-sessions`, admin, { capabilities: ["view"], user: { name: "Portal" } }))
    .token as string;
}

let browser: Browser;
let dir: string;
let portal: Awaited<ReturnType<typeof serveStatic>>;
beforeAll(async () => {
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), "postvej-served-bundle-"));
  portal = await serveStatic(dir);
});
afterAll(async () => {
  await browser?.close();
  await portal?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The portal's page embedding the bundle from `base` with `integrity`; checks the panel renders `base`'s data. */
async function embedAndRender(base: string, token: string): Promise<void> {
  const { path, integrity } = printed();
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal</title><link rel="icon" href="data:,">\n` +
      `<script type="module" src="${base}${path}" integrity="${integrity}" crossorigin="anonymous"></script></head>\n` +
      `<body><postvej-status-panel api-base="${base}" authority="${CVR}" lang="en"></postvej-status-panel></body></html>\n`,
  );
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const script = page.waitForResponse(`${base}${path}`);
  await page.goto(portal.origin);
  const served = await script;
  expect(served.status()).toBe(200);
  expect(served.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  expect(served.headers()["access-control-allow-origin"]).toBe("*");
  await page.waitForFunction(() => customElements.get("postvej-status-panel") !== undefined);
  await page.evaluate((t) => void (document.querySelector("postvej-status-panel")!.token = t), token);
  const card = page.locator("postvej-status-panel article.system", { hasText: "Sagssystem" });
  await card.waitFor({ timeout: 30_000 });
  expect(await card.locator(".badge.state").textContent()).toBe("Active");
  expect(errors).toEqual([]);
  await page.close();
}

/** The same page with another bundle's hash: Chromium refuses to run the module. */
async function refusedWithWrongIntegrity(base: string): Promise<void> {
  const { path } = printed();
  const wrong = `sha384-${Buffer.alloc(48).toString("base64")}`;
  writeFileSync(
    join(dir, "wrong.html"),
    `<!doctype html><html><head><link rel="icon" href="data:,"><script type="module" src="${base}${path}" integrity="${wrong}" crossorigin="anonymous"></script></head><body></body></html>`,
  );
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${portal.origin}/wrong.html`, { waitUntil: "load" });
  expect(await page.evaluate(() => customElements.get("postvej-status-panel") === undefined)).toBe(true);
  expect(errors.join("\n")).toMatch(/integrity/);
  await page.close();
}

describe("the bundle served by the Node server (npm run serve), embedded on another origin", () => {
  let server: NodeServer | undefined;
  let token: string;
  beforeAll(async () => {
    server = await startNodeServer({
      LIBSQL_URL: `file:${join(dir, "serve.db")}`,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_MAIL_URL: `file:${join(dir, "mail")}`,
    });
    token = await seed(server.base);
  });
  afterAll(() => stopNodeServer(server));

  test("loads with SRI and CORS, and the status panel shows the authority's system", () => embedAndRender(server!.base, token));
  test("is refused by the browser when the integrity hash is not the bundle's", () => refusedWithWrongIntegrity(server!.base));
});

describe("the bundle served by the Worker (wrangler dev, static-assets binding), embedded on another origin", () => {
  let sqld: Sqld | undefined;
  let worker: DevWorker | undefined;
  let token: string;
  beforeAll(async () => {
    sqld = await startSqld(join(dir, "sqld"));
    worker = await startDevWorker(join(dir, "wrangler"), {
      LIBSQL_URL: sqld.url,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_ENV: "development",
      POSTVEJ_MAIL_FROM: "postvej@served.example",
    });
    token = await seed(worker.url);
  }, 150_000);
  afterAll(() => tearDown([() => worker?.stop(), () => sqld?.stop()]), 60_000);

  test("loads with SRI and CORS, and the status panel shows the authority's system", () => embedAndRender(worker!.url, token));
  test("is refused by the browser when the integrity hash is not the bundle's", () => refusedWithWrongIntegrity(worker!.url));
});
