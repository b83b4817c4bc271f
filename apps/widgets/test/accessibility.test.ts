import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runAxe } from "./axe.ts";
import { describeFocus, launchBrowser, screenshotDir, watchErrors } from "./browser.ts";
import { makeDeactivationEvents } from "./fixture-data.ts";
import { startFixture, type Fixture } from "./fixture-server.ts";

let browser: Browser;
let fixture: Fixture;

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  browser = await launchBrowser();
  fixture = await startFixture({ virk: 10_000 });
  // Every kind of card: healthy, failing with its last failure in words, deactivated with its day-7 summary.
  fixture.state.events = makeDeactivationEvents();
  fixture.state.status.systems[2]!.lastFailure = {
    at: "2026-11-25T08:58:00.000Z",
    statusCode: null,
    error: "connection_refused",
    durationMs: 3,
    messageUUID: "5b0f8f2e-3c1a-4d2b-9e8f-7a6b5c4d3e2f",
  };
});
afterAll(async () => {
  await fixture.close();
  await browser.close();
});

async function open(query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${fixture.origin}/page.html?${query}`);
  const panels = new URLSearchParams(query).get("panels") ?? "status,relocation";
  if (panels.includes("status")) await page.locator("postvej-status-panel article.system").first().waitFor();
  if (panels.includes("relocation")) {
    await page.locator("postvej-relocation-panel table.messages tbody tr").first().waitFor();
    await page.locator("postvej-relocation-panel .history").waitFor();
  }
  return { page, errors };
}

describe.each(["da", "en"] as const)("accessibility and screenshots (%s)", (lang) => {
  test("axe-core finds no violations in either panel, with the not-offered list and a dry run open", async () => {
    const { page, errors } = await open(`lang=${lang}&pageSize=10`);
    const rel = page.locator("postvej-relocation-panel");
    await rel.locator("details.not-offered summary").click();
    await rel.locator("input.select-row").first().check();
    await rel.getByRole("radio").first().check();
    await rel.locator("button.preview").click();
    await rel.locator(".plan").waitFor();
    // The status panel's new parts are on the page when axe runs.
    await page.locator("postvej-status-panel .moved dd").waitFor();
    expect(await page.locator("postvej-status-panel .last-failure").count()).toBe(2);
    expect(await page.locator("postvej-status-panel p.day7").count()).toBe(1);
    const violations = await runAxe(page);
    expect(violations).toEqual([]);
    await page.locator("postvej-status-panel").screenshot({ path: `${screenshotDir}status-panel-${lang}.png` });
    await rel.screenshot({ path: `${screenshotDir}relocation-panel-${lang}.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  test("axe-core finds no violations in the confirm dialog", async () => {
    const { page } = await open(`lang=${lang}&panels=relocation&pageSize=10`);
    const rel = page.locator("postvej-relocation-panel");
    await rel.locator("input.select-row").first().check();
    await rel.getByRole("radio").first().check();
    await rel.locator("button.move-start").click();
    await rel.getByRole("dialog").waitFor();
    // The dialog is modal and takes focus on its confirm button.
    expect(await describeFocus(page)).toMatch(/^button\.primary\.confirm-move/);
    expect(await runAxe(page)).toEqual([]);
    await page.screenshot({ path: `${screenshotDir}relocation-confirm-${lang}.png` });
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("postvej-relocation-panel")?.shadowRoot?.querySelector("dialog[open]"));
    await page.close();
  });
});

test("loading the bundle twice registers the elements once, without errors", async () => {
  const { page, errors } = await open("lang=da&twice=1");
  const defined = await page.evaluate(() => [
    customElements.get("postvej-status-panel") !== undefined,
    customElements.get("postvej-relocation-panel") !== undefined,
  ]);
  expect(defined).toEqual([true, true]);
  const loaded = await page.evaluate(
    () => performance.getEntriesByType("resource").filter((e) => e.name.includes("postvej-widgets.js")).length,
  );
  expect(loaded).toBe(2);
  expect(errors).toEqual([]);
  await page.close();
});

test("focus is visible on the panels' controls", async () => {
  const { page } = await open("lang=en&panels=status");
  await page.keyboard.press("Tab");
  expect(await describeFocus(page)).toMatch(/^button\.?\[?.*Refresh/);
  const outline = await page.evaluate(() => {
    const root = document.querySelector("postvej-status-panel")?.shadowRoot;
    const el = root?.activeElement;
    return el ? getComputedStyle(el).outlineStyle + " " + getComputedStyle(el).outlineWidth : "";
  });
  expect(outline).toBe("solid 3px");
  await page.close();
});

test("axe-core does look inside the panels' shadow roots", async () => {
  const { page } = await open("lang=da&panels=status");
  await page.evaluate(() => {
    const root = document.querySelector("postvej-status-panel")?.shadowRoot;
    root?.querySelector("header")?.insertAdjacentHTML("beforeend", '<input type="checkbox" class="unlabelled">');
  });
  const ids = (await runAxe(page)).map((v) => v.id);
  expect(ids).toContain("label");
  await page.close();
});
