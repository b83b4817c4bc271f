// A portal page on its own loopback origin calls postvej's /v1 on another origin, in real Chromium,
// with the Authorization header (so each call is preflighted): the script can read the answer's
// Retry-After (a 503 says when to try again) and WWW-Authenticate (a 401 says the token failed),
// which a browser hides from another origin unless Access-Control-Expose-Headers names them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CVR, createTestApp, seedAuthority, serveTestApp } from "../../api/test/support/test-app.ts";
import { launchBrowser, watchErrors } from "./browser.ts";
import { serveStatic } from "./npm-scratch.ts";

let browser: Browser;
let dir: string;
let portal: Awaited<ReturnType<typeof serveStatic>>;
let api: Awaited<ReturnType<typeof serveTestApp>>;
let sender: string;
let budgetInUse: () => number;
let hog: Socket | undefined;
beforeAll(async () => {
  // No queueing (as on Workers) and a budget another body holds most of: intake answers 503 intake_busy with Retry-After.
  const t = await createTestApp({ config: { intakeQueueing: false, intakeBudgetBytes: 200_000, bodyIdleTimeoutMs: 5000 } });
  budgetInUse = () => t.deps.intakeBudget.inUse;
  sender = (await seedAuthority(t)).sender;
  api = await serveTestApp(t);
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), "postvej-cross-origin-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>portal</title>");
  portal = await serveStatic(dir);
});
afterAll(async () => {
  hog?.destroy();
  await browser?.close();
  await portal?.close();
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("headers a page on another origin reads", () => {
  it("Retry-After of a 503 and WWW-Authenticate of a 401, after a real preflight", async () => {
    // Another sender's large body on its way, holding most of the budget.
    hog = connect(Number(new URL(api.base).port), "127.0.0.1");
    hog.on("error", () => {});
    hog.write(
      `POST /v1/messages HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${sender}\r\ncontent-type: application/xml\r\ncontent-length: 150000\r\n\r\n`,
    );
    hog.write("x".repeat(149_000));
    for (let i = 0; i < 100 && budgetInUse() < 149_000; i++) await new Promise((r) => setTimeout(r, 20));
    expect(budgetInUse()).toBeGreaterThanOrEqual(149_000);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(`${portal.origin}/index.html`);
    const seen = await page.evaluate(
      async ({ base, cvr, token }) => {
        const read = (r: Response) => ({
          status: r.status,
          retryAfter: r.headers.get("retry-after"),
          wwwAuthenticate: r.headers.get("www-authenticate"),
        });
        const busy = await fetch(`${base}/v1/messages`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/xml" },
          body: `<memo:Message>${"x".repeat(60_000)}</memo:Message>`,
        });
        const refused = await fetch(`${base}/v1/authorities/${cvr}/status`, {
          headers: { authorization: "Bearer pv_admin_expired_or_unknown" },
        });
        return { busy: read(busy), refused: read(refused), origin: location.origin };
      },
      { base: api.base, cvr: CVR, token: sender },
    );
    expect(seen.origin).not.toBe(api.base);
    expect(seen.busy.status).toBe(503);
    expect(seen.busy.retryAfter).toMatch(/^\d+$/);
    expect(seen.refused.status).toBe(401);
    expect(seen.refused.wwwAuthenticate).toBe('Bearer realm="postvej"');
    // The 503, the 401 and the page's favicon log failed resource loads; nothing else may go wrong (a CORS error would show here).
    expect(errors.filter((e) => !e.includes("Failed to load resource"))).toEqual([]);
    await page.close();
    hog.destroy();
  });
});
