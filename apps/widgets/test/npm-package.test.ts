// The npm package as a vendor gets it: packed, installed from the tarball into a project outside
// the repository, type-checked there, built with the vendor's bundler, and run in Chromium from a
// page on one origin against the real postvej API on another.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiMain, startApi, type RunningApi } from "./api-process.ts";
import { launchBrowser, watchErrors } from "./browser.ts";
import { buildPortal, installScratch, pack, serveStatic, typecheckPortal, type Packed } from "./npm-scratch.ts";

const CVR = "34051178";
type Manifest = { name: string; private?: boolean; exports: Record<string, unknown>; types: string; customElements: string };

let tmp: string;
let packed: Packed & { tarball: string };
let scratch: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "postvej-npm-package-"));
  packed = await pack(tmp);
  scratch = join(tmp, "portal");
  await installScratch(scratch, packed.tarball);
}, 180_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the packed @postvej/widgets", () => {
  test("holds the built module, its declarations and the manifest, and no source, tests or demo", () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toContain("package.json");
    expect(files).toContain("README.md");
    expect(files).toContain("custom-elements.json");
    expect(files).toContain("dist/lib/index.js");
    expect(files).toContain("dist/types/index.d.ts");
    expect(files).toContain("dist/types/contract.d.ts");
    expect(
      files.filter((f) => !/^(package\.json|README\.md|custom-elements\.json|dist\/lib\/.+\.js|dist\/types\/.+\.d\.ts)$/.test(f)),
    ).toEqual([]);

    const pkg = JSON.parse(readFileSync(join(scratch, "node_modules/@postvej/widgets/package.json"), "utf8")) as Manifest;
    expect(pkg.private).toBeUndefined();
    expect(pkg.exports["."]).toEqual({ types: "./dist/types/index.d.ts", import: "./dist/lib/index.js" });
    for (const path of [pkg.customElements, pkg.types, "dist/lib/index.js"]) expect(files).toContain(path.replace(/^\.\//, ""));
    const manifest = JSON.parse(readFileSync(join(scratch, "node_modules/@postvej/widgets", pkg.customElements), "utf8")) as {
      modules: { declarations: { tagName?: string }[] }[];
    };
    const tags = manifest.modules.flatMap((m) => m.declarations.map((d) => d.tagName)).filter(Boolean);
    expect(tags).toEqual(expect.arrayContaining(["postvej-status-panel", "postvej-relocation-panel"]));
  });

  test("installs with Lit as a dependency (not bundled) and declarations that name no workspace package", () => {
    const installed = join(scratch, "node_modules/@postvej/widgets");
    expect(existsSync(join(scratch, "node_modules/lit/package.json"))).toBe(true);
    const code = readFileSync(join(installed, "dist/lib/index.js"), "utf8");
    expect(code).toMatch(/from "lit"/);
    expect(code).not.toMatch(/class ReactiveElement\b/);
    for (const f of packed.files.filter((f) => f.path.endsWith(".d.ts"))) {
      const text = readFileSync(join(installed, f.path), "utf8");
      expect(text, f.path).not.toMatch(/from "@postvej\/|\.ts"/);
    }
    expect(readFileSync(join(installed, "dist/types/contract.d.ts"), "utf8")).toMatch(/export type AuthorityStatus = \{/);
  });

  test("type-checks in a vendor's project (strict, lib check on): the element, the contract types, the events", async () => {
    const r = await typecheckPortal(scratch);
    expect(r.output).toBe("");
    expect(r.ok).toBe(true);
  }, 120_000);
});

describe.skipIf(!existsSync(apiMain))("the installed package in Chromium, on another origin than the API", () => {
  let api: RunningApi;
  let portal: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Browser;

  beforeAll(async () => {
    portal = await serveStatic(await buildPortal(scratch));
    api = await startApi();
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await portal?.close();
  });

  test("renders the status panel from the API's answers, through CORS, with no errors", async () => {
    expect(new URL(portal.origin).port).not.toBe(new URL(api.origin).port);
    const minted = await fetch(`${api.origin}/v1/authorities/${CVR}/portal-sessions`, {
      method: "POST",
      headers: { authorization: `Bearer ${api.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ capabilities: ["view"], user: { name: "Scratch portal" } }),
    });
    expect(minted.status).toBe(201);
    const { token } = (await minted.json()) as { token: string };

    const page = await browser.newPage();
    const errors = watchErrors(page);
    const apiAnswers: { url: string; allowOrigin: string | null }[] = [];
    page.on("response", (r) => {
      if (r.url().startsWith(api.origin))
        apiAnswers.push({ url: r.url(), allowOrigin: r.headers()["access-control-allow-origin"] ?? null });
    });
    await page.goto(portal.origin);
    await page.waitForFunction(() => customElements.get("postvej-status-panel") !== undefined);
    expect(await page.evaluate(() => (window as unknown as { registeredByPackage: boolean }).registeredByPackage)).toBe(true);
    await page.evaluate(
      ([apiBase, t]) => {
        const panel = document.querySelector("postvej-status-panel")!;
        panel.apiBase = apiBase!;
        panel.token = t!;
      },
      [api.origin, token],
    );
    const card = page.locator("postvej-status-panel article.system", { hasText: "Sagssystem (demo)" });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator(".badge.state").textContent()).toBe("Active");
    expect(apiAnswers.some((a) => a.url === `${api.origin}/v1/authorities/${CVR}/status` && a.allowOrigin === "*")).toBe(true);
    expect(apiAnswers.every((a) => !a.url.includes("/widgets/"))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
