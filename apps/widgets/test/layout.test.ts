import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runAxe } from "./axe.ts";
import { launchBrowser, screenshotDir, watchErrors } from "./browser.ts";
import { makeDeactivationEvents } from "./fixture-data.ts";
import { startFixture, type Fixture } from "./fixture-server.ts";

let browser: Browser;
let fixture: Fixture;

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  browser = await launchBrowser();
  fixture = await startFixture({ virk: 60 });
  fixture.state.events = makeDeactivationEvents();
});
afterAll(async () => {
  await fixture.close();
  await browser.close();
});

/** How far the page scrolls sideways: the document's scroll width beyond the viewport (0 when it fits). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth);
}

/** The tops and lefts (rounded px) of the filter form's fields and buttons, inside the relocation panel. */
export function filterRow(
  page: Page,
): Promise<{ fields: { top: number; left: number }[]; buttons: { top: number; left: number; bottom: number }[] }> {
  return page.evaluate(() => {
    const root = document.querySelector("postvej-relocation-panel")?.shadowRoot;
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { top: Math.round(r.top), left: Math.round(r.left), bottom: Math.round(r.bottom) };
    };
    return {
      fields: [...(root?.querySelectorAll(".filters .field input, .filters .field select") ?? [])].map(box),
      buttons: [...(root?.querySelectorAll(".filters button") ?? [])].map(box),
    };
  });
}

/** The elements (through shadow roots) reaching past the viewport's right edge, for the failure message. */
function widest(page: Page): Promise<string> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 0.5)
          out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} right=${Math.round(r.right)}`);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return out.slice(0, 12).join("; ");
  });
}

async function open(width: number, query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(`${fixture.origin}/page.html?${query}`);
  if (query.includes("status")) await page.locator("postvej-status-panel article.system").first().waitFor();
  if (query.includes("relocation")) {
    await page.locator("postvej-relocation-panel table.messages tbody tr").first().waitFor();
    await page.locator("postvej-relocation-panel .history-entry, postvej-relocation-panel .no-history").first().waitFor();
  }
  return { page, errors };
}

describe.each(["da", "en"] as const)("layout (%s)", (lang) => {
  test.each(["status", "relocation"] as const)("the %s panel fits a 390 px phone: nothing scrolls sideways", async (panel) => {
    const { page, errors } = await open(390, `lang=${lang}&panels=${panel}&pageSize=10`);
    if (panel === "relocation") {
      // The widest parts open: the not-offered list and a dry run.
      const rel = page.locator("postvej-relocation-panel");
      await rel.locator("details.not-offered summary").click();
      await rel.locator("input.select-row").first().check();
      await rel.getByRole("radio").first().check();
      await rel.locator("button.preview").click();
      await rel.locator(".plan").waitFor();
    }
    await page.screenshot({ path: `${screenshotDir}layout-390-${panel}-${lang}.png`, fullPage: true });
    expect(await sidewaysOverflow(page), await widest(page)).toBeLessThanOrEqual(0);
    // Narrow, a table scrolls inside its own box; axe-core still finds nothing (a scrolling box must be reachable by keyboard).
    expect(await runAxe(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("at 1024 px the filter fields share one row and the two buttons line up beside them", async () => {
    const { page } = await open(1024, `lang=${lang}&panels=relocation&pageSize=10`);
    const { fields, buttons } = await filterRow(page);
    await page.locator("postvej-relocation-panel form.filters").screenshot({ path: `${screenshotDir}layout-1024-filters-${lang}.png` });
    expect(fields).toHaveLength(4);
    expect(buttons).toHaveLength(2);
    expect(new Set(buttons.map((b) => b.top)).size).toBe(1);
    expect(new Set(buttons.map((b) => b.bottom)).size).toBe(1);
    // The buttons' bottom edge lines up with the fields' bottom edge.
    const fieldBottoms = await page.evaluate(() =>
      [
        ...(document
          .querySelector("postvej-relocation-panel")
          ?.shadowRoot?.querySelectorAll(".filters .field input, .filters .field select") ?? []),
      ].map((el) => Math.round(el.getBoundingClientRect().bottom)),
    );
    expect(new Set(fieldBottoms).size).toBe(1);
    expect(Math.abs(buttons[0]!.bottom - fieldBottoms[0]!)).toBeLessThanOrEqual(1);
    await page.close();
  });
});
