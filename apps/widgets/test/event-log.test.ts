import { existsSync, mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runAxe } from "./axe.ts";
import { apiMain, memo, repoRoot, startApi, type RunningApi } from "./api-process.ts";
import { describeFocus, launchBrowser, tabTo, watchErrors } from "./browser.ts";

// Issue 13 §2: <postvej-event-log> in the demo portal against the real API (a child process with
// its libSQL file and simulated clock): find a message by title and by UUID, its trace, the list's
// filters and paging, the status panel's link, axe-core in both languages, keyboard only.
const CVR = "34051178";
const SKOLE = "6f1c1a9e-2b47-4c4e-9a7e-0d3c2f1b5a03";
const PRIMARY = "Sagssystem (demo)";
const shots = `${repoRoot}artifacts/screenshots/`;

let api: RunningApi;
let browser: Browser;
let page: Page;
let errors: string[];
let primaryId: string;

const log = () => page.locator("postvej-event-log");
const steps = () => log().locator("ol.timeline li.step");
const demo = async (path: string, body?: unknown) => {
  const res = await fetch(`${api.origin}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json() as Promise<Record<string, unknown>>;
};
async function send(contactPointId: string | null, label: string): Promise<string> {
  const m = memo(CVR, contactPointId, label);
  const res = await fetch(`${api.origin}/v1/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${api.senderKey}`, "content-type": "application/xml" },
    body: m.xml,
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return m.uuid;
}
/** Refreshes a panel until `check` (run against its shadow root) holds. */
async function until(tag: string, check: string, arg: unknown = null): Promise<void> {
  await page.waitForFunction(
    async ([t, src, a]) => {
      const panel = document.querySelector(t as string) as
        (HTMLElement & { refresh(): Promise<void>; updateComplete: Promise<unknown> }) | null;
      if (!panel?.shadowRoot) return false;
      await panel.refresh();
      await panel.updateComplete;
      return (new Function("root", "arg", `return (${src as string})(root, arg);`) as (r: ShadowRoot, x: unknown) => boolean)(
        panel.shadowRoot,
        a,
      );
    },
    [tag, check, arg] as const,
    { polling: 250, timeout: 30_000 },
  );
}
/** Focuses the finder, types the query and presses Enter: keyboard only. */
async function find(query: string): Promise<void> {
  await log().locator("input.find-input").focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(query);
  await page.keyboard.press("Enter");
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  api = await startApi();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  errors = watchErrors(page);
  const config = (await demo("/demo/config")) as { systems: { id: string; name: string }[] };
  primaryId = config.systems.find((s) => s.name === PRIMARY)?.id ?? "";
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe.skipIf(!existsSync(apiMain))("<postvej-event-log> in the demo portal against the real API", () => {
  let failed: string;
  let delivered: string;

  test("a failing system's link in the status panel opens the log filtered to it", async () => {
    await page.goto(`${api.origin}/demo`);
    await log().locator("table.events, p.empty").first().waitFor();
    await demo(`/demo/systems/${primaryId}/down`, {});
    failed = await send(null, "Byggetilladelse 2026-17");
    delivered = await send(SKOLE, "Skolestart");
    await until(
      "postvej-status-panel",
      `(root, n) => [...root.querySelectorAll("article.system")].some((a) => a.querySelector("h3")?.textContent === n && a.querySelector(".last-failure"))`,
      PRIMARY,
    );
    // Keyboard: Tab to the failing system's link and press Enter.
    await page.locator("body").focus();
    expect(await tabTo(page, /^button\.open-event-log/)).toContain(PRIMARY);
    await page.keyboard.press("Enter");
    await page.waitForFunction((id) => {
      const root = document.querySelector("postvej-event-log")?.shadowRoot;
      return (root?.querySelector("#l-system") as HTMLSelectElement | null)?.value === id && root?.querySelector("tbody tr") !== null;
    }, primaryId);
    expect(await describeFocus(page)).toMatch(/^h3\.\[\]\|Hændelser/);
    const systems = await log().locator("tbody tr td:nth-child(3)").allTextContents();
    expect(systems.length).toBeGreaterThan(0);
    expect(new Set(systems.map((s) => s.trim()))).toEqual(new Set([PRIMARY]));
    expect(await log().locator("tbody").innerText()).toContain(
      "Forsøg 1 til Sagssystem (demo) fejlede: svarede 503 (midlertidigt utilgængelig)",
    );
  });

  test("finds a message by its title and shows its trace: received, routed, the failed attempt, then the delivery", async () => {
    await find("Byggetilladelse 2026-17");
    await log().locator("#trace-title").waitFor();
    expect(await describeFocus(page)).toMatch(/^h3\.\[\]\|Forløb: Byggetilladelse 2026-17/);
    expect(await log().locator(".facts").innerText()).toContain(failed);
    // The sender as the mailbox shows it: the MeMo Sender label with its CVR.
    expect(await log().locator(".facts").innerText()).toContain("Kommunen (12345678)");
    expect(await steps().locator(".what").allTextContents()).toEqual(["Modtaget", "Dirigeret", "Forsøg fejlede"]);
    const text = await log().locator("ol.timeline").innerText();
    expect(text).toMatch(/Modtaget fra afsender \d+ \([\d,.]+ KB, MeMo 1\.2\)\./);
    expect(text).toContain("Dirigeret til Sagssystem (demo) – kun CVR, så det primære system.");
    expect(text).toMatch(
      /Forsøg 1 til Sagssystem \(demo\) fejlede: svarede 503 \(midlertidigt utilgængelig\) \(\d+ ms\)\. Næste forsøg \d{1,2}\. [a-zæøå]+\. 2026 kl\. \d\d\.\d\d\./,
    );

    // The system comes back and an hour passes: the retry delivers, and the open trace shows it.
    await demo(`/demo/systems/${primaryId}/up`, {});
    await demo("/demo/clock", { advance: "PT1H" });
    await until("postvej-event-log", `(root) => !!root.querySelector("li.step.delivered")`);
    const last = steps().last();
    expect(await last.locator(".what").textContent()).toBe("Leveret");
    expect(await last.locator(".text").textContent()).toMatch(/^Leveret til Sagssystem \(demo\) i forsøg 2 \(svar 20\d, \d+ ms\)\.$/);
    expect(await log().locator(".facts .state").textContent()).toBe("leveret");
    expect(await runAxe(page, "postvej-event-log")).toEqual([]);
    await log().screenshot({ path: `${shots}event-log-trace-da.png` });
  });

  test("finds a message by its UUID as pasted (upper case), and says when nothing matches", async () => {
    await find(delivered.toUpperCase());
    await page.waitForFunction(
      (u) => document.querySelector("postvej-event-log")?.shadowRoot?.querySelector(".facts")?.textContent?.includes(u),
      delivered,
    );
    expect(await log().locator("#trace-title").textContent()).toBe("Forløb: Skolestart");
    expect(await log().locator("ol.timeline").innerText()).toMatch(/Leveret til Dokumentboks \(demo\) i forsøg 1/);
    await find("Ingen sådan titel");
    await log().locator(".not-found").waitFor();
    expect(await log().locator(".not-found").textContent()).toBe(
      "Myndigheden har ingen meddelelse med UUID eller titel »Ingen sådan titel«.",
    );
    // The earlier message's trace is gone: under "no such message" it would read as this search's answer.
    expect(await log().locator("#trace-title").count()).toBe(0);
    expect(await log().locator("#list-title").count()).toBe(1);
  });

  test("back to the list: filters by kind, pages with the keyboard", async () => {
    await find(delivered);
    await log().locator("#trace-title").waitFor();
    await log().locator("button.back").focus();
    await page.keyboard.press("Enter");
    await log().locator("table.events").waitFor();
    expect(await describeFocus(page)).toMatch(/^h3\.\[\]\|Hændelser/);
    // Failures of any system.
    await log().locator("#l-system").selectOption("");
    await log().locator("#l-kind").selectOption("g:failures");
    await log().locator("button.apply-filters").focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => {
      const rows = [...(document.querySelector("postvej-event-log")?.shadowRoot?.querySelectorAll("tbody tr") ?? [])];
      return rows.length > 0 && rows.every((r) => r.classList.contains("attempt_failed"));
    });
    // Everything, three at a time: the next page holds other events, and back again gives the first.
    await log().locator("button.reset-filters").click();
    await log().evaluate((e) => ((e as HTMLElement & { pageSize: number }).pageSize = 3));
    await page.waitForFunction(() => document.querySelector("postvej-event-log")?.shadowRoot?.querySelectorAll("tbody tr").length === 3);
    const ids = () =>
      log()
        .locator("tbody tr")
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-event-id")));
    const first = await ids();
    await log().locator("button.next").focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      () => document.querySelector("postvej-event-log")?.shadowRoot?.querySelector(".page-number")?.textContent === "Side 2",
    );
    const second = await ids();
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(Math.max(...second.map(Number))).toBeLessThan(Math.min(...first.map(Number)));
    await log().locator("button.prev").focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      () => document.querySelector("postvej-event-log")?.shadowRoot?.querySelector(".page-number")?.textContent === "Side 1",
    );
    expect(await ids()).toEqual(first);
    expect(await runAxe(page, "postvej-event-log")).toEqual([]);
    await log().screenshot({ path: `${shots}event-log-list-da.png` });
  });

  test("in English: the trace and the list, axe-core zero, and no errors on the page", async () => {
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForFunction(
      () => document.querySelector("postvej-event-log")?.shadowRoot?.querySelector("h2")?.textContent === "Event log",
    );
    expect(await runAxe(page, "postvej-event-log")).toEqual([]);
    await log().screenshot({ path: `${shots}event-log-list-en.png` });
    await find(failed);
    await page.waitForFunction(
      () =>
        document.querySelector("postvej-event-log")?.shadowRoot?.querySelector("#trace-title")?.textContent ===
        "Trace: Byggetilladelse 2026-17",
    );
    const text = await log().locator("ol.timeline").innerText();
    expect(text).toContain("Routed to Sagssystem (demo) — CVR only, so the primary system.");
    expect(text).toMatch(/Attempt 1 to Sagssystem \(demo\) failed: answered 503 \(temporarily unavailable\)/);
    expect(text).toMatch(/Delivered to Sagssystem \(demo\) in attempt 2/);
    expect(await runAxe(page, "postvej-event-log")).toEqual([]);
    await log().screenshot({ path: `${shots}event-log-trace-en.png` });
    expect(errors).toEqual([]);
  });

  test("a trace through the whole way: warnings, the day-7 deactivation, Virk, a relocation by whom, and the delivery", async () => {
    await page.getByRole("button", { name: "Dansk" }).click();
    await demo(`/demo/systems/${primaryId}/down`, {});
    const uuid = await send(null, "Klage 2026-4");
    const { token } = (await demo("/demo/token", {})) as { token: string };
    const get = async (path: string) => {
      const res = await fetch(`${api.origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json() as Promise<Record<string, unknown>>;
    };
    // A day at a time until the primary is deactivated and the letter is in Virk.
    for (let day = 0; (await get(`/v1/authorities/${CVR}/messages/${uuid}`))["state"] !== "in_virk"; day++) {
      expect(day, "in Virk within 8 simulated days").toBeLessThan(8);
      await demo("/demo/clock", { advance: "P1D" });
    }
    const res = await fetch(`${api.origin}/v1/authorities/${CVR}/relocations`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ selection: { messageUUIDs: [uuid] }, targetContactPointId: SKOLE }),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    await expect.poll(async () => (await get(`/v1/authorities/${CVR}/messages/${uuid}`))["state"], { timeout: 30_000 }).toBe("delivered");

    await find("Klage 2026-4");
    await page.waitForFunction(() => {
      const root = document.querySelector("postvej-event-log")?.shadowRoot;
      return root?.querySelector("#trace-title")?.textContent === "Forløb: Klage 2026-4" && !!root.querySelector("li.step.delivered");
    });
    const kinds = await steps().evaluateAll((li) => li.map((l) => l.className.split(" ").filter(Boolean)[1]));
    const order = [
      "received",
      "routed",
      "attempt_failed",
      "system_warned",
      "system_deactivated",
      "rerouted",
      "landed_in_virk",
      "relocated",
      "delivered",
    ];
    expect(order.map((k) => kinds.indexOf(k))).toEqual([...order.map((k) => kinds.indexOf(k))].sort((a, b) => a - b));
    expect(kinds.filter((k) => k === "system_warned")).toHaveLength(2);
    const text = await log().locator("ol.timeline").innerText();
    expect(text).toContain("Sagssystem (demo): advarsel til kontakterne på dag 2");
    expect(text).toContain("Sagssystem (demo): advarsel til kontakterne på dag 5");
    expect(text).toMatch(/Sagssystem \(demo\) blev deaktiveret automatisk \(dag 7\); \d+ meddelelser? flyttet til postkassen på Virk\./);
    expect(text).toContain("Flyttet fra Sagssystem (demo) til postkassen på Virk, fordi systemet blev deaktiveret.");
    expect(text).toContain("Lagt i postkassen på Virk.");
    expect(text).toContain("Flyttet fra Virk af Demo Administrator til kontaktpunktet Skole og dagtilbud – Dokumentboks (demo).");
    expect(await steps().last().locator(".text").textContent()).toMatch(/^Leveret til Dokumentboks \(demo\) i forsøg 1 /);
    expect(await log().locator("li.step.system-step").count()).toBeGreaterThanOrEqual(3);
    // The retries between the first and the last failed attempt are folded; Enter on the summary opens them.
    const attempts = kinds.filter((k) => k === "attempt_failed").length;
    expect(attempts).toBeGreaterThan(10);
    await log().screenshot({ path: `${shots}event-log-trace-relocated-da.png` });
    const summaries = log().locator("li.folded summary");
    expect(await summaries.first().textContent()).toMatch(/^\d+ forsøg mere fejlede – vis dem$/);
    expect(await log().locator("li.step.attempt_failed:visible").count()).toBeLessThan(attempts);
    for (let i = 0; i < (await summaries.count()); i++) {
      await summaries.nth(i).focus();
      await page.keyboard.press("Enter");
    }
    await expect.poll(() => log().locator("li.step.attempt_failed:visible").count()).toBe(attempts);
    expect(await runAxe(page, "postvej-event-log")).toEqual([]);
    // The panels asked for fresh tokens as the simulated clock outran them; nothing else went wrong.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
