import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, watchErrors } from "./browser.ts";
import { startFixture, type Fixture } from "./fixture-server.ts";

let browser: Browser;
let fixture: Fixture;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await page.close();
  await fixture.close();
});

async function open(query: string): Promise<void> {
  fixture = await startFixture();
  page = await browser.newPage();
  errors = watchErrors(page);
  await page.goto(`${fixture.origin}/page.html?panels=status&${query}`);
  await page.locator("postvej-status-panel article.system").first().waitFor();
}

const panel = () => page.locator("postvej-status-panel");
const system = (name: string) => panel().locator("article.system", { hasText: name });

describe("<postvej-status-panel>", () => {
  test("shows every system with state, primary mark, protocol, host, counts, and the Virk count (Danish)", async () => {
    await open("lang=da");
    await expect(system("Sag og Dokument").locator(".badge.state").textContent()).resolves.toBe("Aktivt");
    await expect(system("Sag og Dokument").locator(".badge.primary").textContent()).resolves.toBe("Primært");
    await expect(system("Byggesag Nord").locator(".badge.primary").count()).resolves.toBe(0);
    await expect(system("Gammelt arkiv").locator(".badge.state").textContent()).resolves.toBe("Deaktiveret");
    const arkiv = await system("Gammelt arkiv").innerText();
    expect(arkiv).toContain("REST pull");
    expect(arkiv).toContain("automatisk");
    // Danish date format, in Danish time: 25.11.2026 10.00 is 09:00Z on 25 Nov.
    expect(arkiv).toContain("25.11.2026 kl. 10.00");
    expect(await system("Byggesag Nord").innerText()).toContain("byg.example.net");
    expect(await system("Byggesag Nord").locator(".undelivered dd").textContent()).toBe("14");
    expect(await panel().locator(".virk-count").textContent()).toBe("120 meddelelser");
    expect(await panel().locator("header").innerText()).toContain("I dag: 27.11.2026");
    expect(errors).toEqual([]);
  });

  test("draws the failure episode: day 2, 5 and 7 marked, today's position, and the next step with its date", async () => {
    await open("lang=da");
    const sys = system("Byggesag Nord");
    const timeline = sys.locator("figure.timeline");
    await expect(timeline.locator(".tick").count()).resolves.toBe(4);
    // Started 3 days 2 hours ago: today is at (3 + 2/24) / 7 of the bar.
    const left = await timeline.locator(".today").evaluate((e) => (e as HTMLElement).style.left);
    expect(Number.parseFloat(left)).toBeCloseTo(((3 + 2 / 24) / 7) * 100, 1);
    const text = await timeline.innerText();
    expect(text).toContain("I dag er dag 3,1 af 7.");
    expect(text).toContain("Dag 2: advarsel");
    expect(text).toMatch(/Dag 2: advarsel: .*sendt 26\.11\.2026 kl\. 08\.01/);
    expect(text).toContain("Dag 7: deaktivering");
    expect(await sys.locator(".tick.day2.passed").count()).toBe(1);
    expect(await sys.locator(".tick.day5.passed").count()).toBe(0);
    expect(await sys.locator(".next-step").innerText()).toBe("Næste skridt: Ny advarsel til kontakterne (dag 5) — 29.11.2026 kl. 08.00");
    expect(await system("Sag og Dokument").locator("figure.timeline").count()).toBe(0);
  });

  test("switches language at run time, with English dates", async () => {
    await open("lang=da");
    await panel().evaluate((e) => e.setAttribute("lang", "en"));
    await expect(panel().locator("h2").textContent()).resolves.toBe("Recipient system status");
    const text = await system("Byggesag Nord").innerText();
    expect(text).toContain("Next step: Second warning to the contacts (day 5) — 29/11/2026, 08:00");
    expect(text).toContain("Today is day 3.1 of 7.");
    expect(await panel().locator(".virk-count").textContent()).toBe("120 messages");
  });

  test("reactivates a deactivated system and announces the change", async () => {
    await open("lang=en");
    const arkiv = system("Gammelt arkiv");
    await arkiv.getByRole("button", { name: "Reactivate" }).click();
    await page.waitForFunction(() =>
      document.querySelector("postvej-status-panel")?.shadowRoot?.querySelector('[data-system-id="rs_pull"] .badge.state')?.textContent === "Active",
    );
    expect(fixture.state.log.some((r) => r.method === "POST" && r.url.endsWith("/recipient-systems/rs_pull/reactivate"))).toBe(true);
    await page.waitForFunction(() =>
      (document.querySelector("postvej-status-panel")?.shadowRoot?.querySelector('[role="status"]')?.textContent ?? "").includes("has been reactivated"),
    );
    expect(await arkiv.getByRole("button", { name: "Reactivate" }).count()).toBe(0);
  });

  test("reports a failed test delivery", async () => {
    await open("lang=en");
    const sys = system("Byggesag Nord");
    await sys.getByRole("button", { name: "Send test delivery" }).click();
    await sys.locator(".result", { hasText: "failed" }).waitFor();
    expect(await sys.locator(".result").textContent()).toContain("Test delivery to Byggesag Nord failed: HTTP 503 Service Unavailable");
  });

  test("a view-only token hides the actions", async () => {
    await open("lang=da&caps=view");
    await panel().locator(".virk-count").waitFor();
    expect(await panel().getByRole("button", { name: "Genaktivér" }).count()).toBe(0);
    expect(await panel().getByRole("button", { name: "Send testlevering" }).count()).toBe(0);
    expect(await panel().getByRole("button", { name: "Opdatér" }).count()).toBe(1);
  });

  test("on a 401 asks the host for a fresh token and retries once", async () => {
    await open("lang=da");
    const before = await panel().evaluate((e) => (e as HTMLElement & { token: string }).token);
    fixture.state.tokens.delete(before);
    fixture.state.status.virkCount = 0;
    fixture.state.virk.splice(0, 20);
    await panel().getByRole("button", { name: "Opdatér" }).click();
    await page.waitForFunction(() => document.querySelector("postvej-status-panel")?.shadowRoot?.querySelector(".virk-count")?.textContent === "100 meddelelser");
    const events = await page.evaluate(() => (window as unknown as { tokenEvents: unknown[] }).tokenEvents);
    expect(events).toContainEqual({ authority: "29189846", reason: "unauthorized" });
    const after = await panel().evaluate((e) => (e as HTMLElement & { token: string }).token);
    expect(after).not.toBe(before);
    expect(await panel().locator("[role=alert]").count()).toBe(0);
  });

  test("asks for a fresh token about a minute before it expires", async () => {
    fixture = await startFixture();
    page = await browser.newPage();
    errors = watchErrors(page);
    await page.goto(`${fixture.origin}/page.html?panels=status&lang=da`);
    await panel().locator(".virk-count").waitFor();
    // A token that expires in 61 s: the panel should ask for a new one within about a second.
    const short = fixture.mint(["view"], 61_000);
    await panel().evaluate((e, t) => ((e as HTMLElement & { token: string }).token = t), short);
    await page.waitForFunction(
      () => (window as unknown as { tokenEvents: { reason: string }[] }).tokenEvents.some((e) => e.reason === "expiring"),
      undefined,
      { timeout: 10_000 },
    );
    // The host answers the event by minting a new token, which it hands over when the mint returns.
    await expect.poll(() => panel().evaluate((e) => (e as HTMLElement & { token: string }).token), { timeout: 10_000 }).not.toBe(short);
  });
});
