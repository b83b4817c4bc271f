// A keyboard user presses a button whose call takes a moment: the button must keep focus while the
// call is in flight (it says so with aria-disabled, and a second press does nothing), and the result
// is announced. A `disabled` button drops focus to the page, and the next Tab starts from the top.
import type { Route } from "playwright-core";
import { describe, expect, test } from "vitest";
import { describeFocus } from "./browser.ts";
import { fixturePages } from "./fixture-page.ts";

const s = fixturePages();

/** Holds every matching call (POSTs unless told) until `release()`, so the test can look at the panel while it is in flight. */
async function holdCalls(glob: string, method = "POST"): Promise<{ release(): void; held(): number }> {
  let open = false;
  let held = 0;
  const waiting: (() => void)[] = [];
  await s.page.route(glob, async (route: Route) => {
    if (route.request().method() !== method) return route.continue();
    held++;
    if (!open) await new Promise<void>((resolve) => waiting.push(resolve));
    await route.continue();
  });
  return {
    release() {
      open = true;
      for (const w of waiting.splice(0)) w();
    },
    held: () => held,
  };
}

async function openPage(panels: string, lang: string): Promise<void> {
  await s.open(`panels=${panels}&lang=${lang}`);
}

const liveText = (tag: string) =>
  s.page.evaluate((t) => document.querySelector(t)?.shadowRoot?.querySelector('[role="status"]')?.textContent ?? "", tag);

describe("focus stays on the pressed button while its call is in flight", () => {
  test("status panel: Enter on “Send testlevering” keeps focus there, a second Enter sends nothing, the result is announced", async () => {
    await openPage("status", "da");
    const card = s.page.locator("postvej-status-panel article.system", { hasText: "Byggesag Nord" });
    const testButton = card.getByRole("button", { name: "Send testlevering" });
    await testButton.waitFor();
    const calls = await holdCalls("**/recipient-systems/*/test");
    await testButton.focus();
    await s.page.keyboard.press("Enter");
    await expect.poll(() => calls.held()).toBe(1);
    expect(await describeFocus(s.page)).toBe("button.[Send testlevering til Byggesag Nord]|Send testlevering");
    expect(await testButton.getAttribute("aria-disabled")).toBe("true");
    await s.page.keyboard.press("Enter");
    calls.release();
    await expect.poll(() => liveText("postvej-status-panel")).toContain("Testlevering til Byggesag Nord fejlede");
    expect(calls.held()).toBe(1);
    expect(await describeFocus(s.page)).toBe("button.[Send testlevering til Byggesag Nord]|Send testlevering");
    expect(await testButton.getAttribute("aria-disabled")).toBe("false");
    expect(s.errors).toEqual([]);
  });

  test("status panel: Enter on “Prøv igen nu” keeps focus there while it is asked, a second Enter sends nothing, the count is announced", async () => {
    await openPage("status", "da");
    const retry = s.page.locator("postvej-status-panel").getByRole("button", { name: "Prøv igen nu for Byggesag Nord", exact: true });
    await retry.waitFor();
    const calls = await holdCalls("**/recipient-systems/*/retry-now");
    await retry.focus();
    await s.page.keyboard.press("Enter");
    await expect.poll(() => calls.held()).toBe(1);
    expect(await describeFocus(s.page)).toBe("button.primary[Prøv igen nu for Byggesag Nord]|Prøv igen nu");
    expect(await retry.getAttribute("aria-disabled")).toBe("true");
    await s.page.keyboard.press("Enter");
    calls.release();
    await expect.poll(() => liveText("postvej-status-panel")).toBe("14 meddelelser til Byggesag Nord forsøges leveret igen nu.");
    expect(calls.held()).toBe(1);
    expect(s.fixture.state.log.filter((r) => r.url.endsWith("/recipient-systems/rs_failing/retry-now"))).toHaveLength(1);
    expect(await describeFocus(s.page)).toBe("button.primary[Prøv igen nu for Byggesag Nord]|Prøv igen nu");
    expect(await retry.getAttribute("aria-disabled")).toBe("false");
    expect(s.errors).toEqual([]);
  });

  test("relocation panel: Enter on the dry run keeps focus on it, and the plan is announced (English)", async () => {
    await openPage("relocation", "en");
    const panel = s.page.locator("postvej-relocation-panel");
    await panel.locator("tbody tr").first().waitFor();
    await panel.locator("input.select-row").first().check();
    await panel.getByRole("radio").first().check();
    const preview = panel.locator("button.preview");
    const calls = await holdCalls("**/relocations");
    await preview.focus();
    await s.page.keyboard.press("Enter");
    await expect.poll(() => calls.held()).toBe(1);
    expect(await describeFocus(s.page)).toMatch(/^button\.preview\[\]/);
    expect(await preview.getAttribute("aria-disabled")).toBe("true");
    await s.page.keyboard.press("Enter");
    calls.release();
    await expect.poll(() => liveText("postvej-relocation-panel")).toBe("1 message in the selection.");
    expect(calls.held()).toBe(1);
    expect(await describeFocus(s.page)).toMatch(/^button\.preview\[\]/);
    await panel.locator(".plan").waitFor();
    expect(s.errors).toEqual([]);
  });

  test("relocation mailbox: Enter on Next up to the last s.page keeps focus there, the range is announced, and Previous back to the first", async () => {
    await s.open(`panels=relocation&lang=en&pageSize=1`, { virk: 3 });
    const panel = s.page.locator("postvej-relocation-panel");
    const info = panel.locator(".page-info");
    await info.waitFor();
    expect(await info.getAttribute("aria-live")).toBe("polite");
    await panel.locator("button.next").focus();
    for (const range of ["2–2 of 3", "3–3 of 3"]) {
      await s.page.keyboard.press("Enter");
      await expect.poll(() => info.textContent()).toContain(range);
      expect(await describeFocus(s.page)).toMatch(/^button\.next\[\]/);
    }
    await expect.poll(() => panel.locator("button.next").getAttribute("aria-disabled")).toBe("true");
    // At the end, another Enter asks for nothing.
    const calls = s.fixture.state.log.length;
    await s.page.keyboard.press("Enter");
    await s.page.evaluate(() => document.querySelector("postvej-relocation-panel")?.updateComplete);
    expect(s.fixture.state.log.length).toBe(calls);
    await panel.locator("button.prev").focus();
    for (const range of ["2–2 of 3", "1–1 of 3"]) {
      await s.page.keyboard.press("Enter");
      await expect.poll(() => info.textContent()).toContain(range);
      expect(await describeFocus(s.page)).toMatch(/^button\.prev\[\]/);
    }
    await expect.poll(() => panel.locator("button.prev").getAttribute("aria-disabled")).toBe("true");
    await s.page.keyboard.press("Enter");
    expect(await info.textContent()).toContain("1–1 of 3");
    expect(s.errors).toEqual([]);
  });

  test("relocation mailbox: the last page's range and Next's aria-disabled land together, and an Enter while it loads asks for nothing", async () => {
    await s.open(`panels=relocation&lang=en&pageSize=1`, { virk: 3 });
    const panel = s.page.locator("postvej-relocation-panel");
    const info = panel.locator(".page-info");
    await panel.locator("button.next").focus();
    await s.page.keyboard.press("Enter");
    await expect.poll(() => info.textContent()).toContain("2–2 of 3");
    const calls = await holdCalls("**/virk/messages?*", "GET");
    await s.page.keyboard.press("Enter");
    await expect.poll(() => calls.held()).toBe(1);
    // While the last page is on its way the panel still shows the page it has, and a second Enter asks for nothing.
    expect(await info.textContent()).toContain("2–2 of 3");
    await s.page.keyboard.press("Enter");
    calls.release();
    const pager = () =>
      s.page.evaluate(() => {
        const root = document.querySelector("postvej-relocation-panel")?.shadowRoot;
        return `${root?.querySelector(".page-info")?.textContent ?? ""} / next ${root?.querySelector("button.next")?.getAttribute("aria-disabled")}`;
      });
    await expect.poll(pager).toBe("Showing 3–3 of 3 / next true");
    expect(calls.held()).toBe(1);
    expect(s.fixture.state.log.filter((r) => r.url.includes("/virk/messages?") && r.url.includes("cursor=2"))).toHaveLength(1);
    expect(await describeFocus(s.page)).toMatch(/^button\.next\[\]/);
    expect(s.errors).toEqual([]);
  });
});
