import { existsSync, mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runAxe } from "./axe.ts";
import { apiMain, memo, repoRoot, startApi, type RunningApi } from "./api-process.ts";
import { describeFocus, launchBrowser, tabTo, watchErrors } from "./browser.ts";

const CVR = "34051178";
const BORGERSERVICE = "6f1c1a9e-2b47-4c4e-9a7e-0d3c2f1b5a01";
const BYGGESAGER = "6f1c1a9e-2b47-4c4e-9a7e-0d3c2f1b5a02";
const SKOLE = "6f1c1a9e-2b47-4c4e-9a7e-0d3c2f1b5a03";
const shots = `${repoRoot}artifacts/screenshots/`;

let api: RunningApi;
let browser: Browser;
let page: Page;
let errors: string[];

/** Text of a status-panel system card. */
const card = (name: string) => page.locator("postvej-status-panel article.system", { hasText: name });

/** Refreshes the status panel until `check` (run in the page against the panel's shadow root) holds. */
async function statusUntil(check: string, arg: unknown = null, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    async ([src, a]) => {
      const panel = document.querySelector("postvej-status-panel");
      if (!panel?.shadowRoot) return false;
      await panel.refresh();
      await panel.updateComplete;
      return (new Function("root", "arg", `return (${src as string})(root, arg);`) as (r: ShadowRoot, a: unknown) => boolean)(
        panel.shadowRoot,
        a,
      );
    },
    [check, arg] as const,
    { polling: 250, timeout },
  );
}

const systemState = `(root, name) => [...root.querySelectorAll("article.system")].find((a) => a.querySelector("h3")?.textContent === name)?.querySelector(".badge.state")?.textContent`;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  api = await startApi();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  errors = watchErrors(page);
});
afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe.skipIf(!existsSync(apiMain))("the demo portal against the real API", () => {
  test("status, a seven-day failure ending in deactivation, a keyboard-only move out of Virk, and its history", async () => {
    // 1. The demo portal embeds both panels against the seeded authority.
    await page.goto(`${api.origin}/demo`);
    await card("Sagssystem (demo)").waitFor();
    expect(await card("Sagssystem (demo)").locator(".badge.state").textContent()).toBe("Aktivt");
    expect(await card("Sagssystem (demo)").locator(".badge.primary").textContent()).toBe("Primært");
    expect(await card("Dokumentboks (demo)").locator(".badge.state").textContent()).toBe("Aktivt");
    expect(await page.locator("postvej-status-panel .virk-count").textContent()).toBe("0 meddelelser");
    expect(await page.locator("postvej-status-panel header").innerText()).toContain(CVR);

    // 2. Stop the primary system and send it post.
    await page.getByRole("button", { name: "Stop Sagssystem (demo)" }).click();
    await page.getByRole("button", { name: "Start Sagssystem (demo) igen" }).waitFor();
    // A reload shows the receiver's real state, not "kører" for everything.
    await page.reload();
    await page.getByRole("button", { name: "Start Sagssystem (demo) igen" }).waitFor();
    expect(await page.locator('[data-system="rs_demo_sagssystem"] .state').textContent()).toBe("stoppet");
    expect(await page.locator('[data-system="rs_demo_dokumentboks"] .state').textContent()).toBe("kører");
    await card("Sagssystem (demo)").waitFor();
    expect(await page.locator("#outbox-empty").textContent()).toBe("Der er endnu ikke sendt nogen e-mails.");
    // The empty log's hidden table is out of the Tab order too: a whole round of Tab never lands on its scroll region.
    await page.locator("#outbox-help").evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const stops: string[] = [];
    for (let i = 0; i < 150 && !stops.includes("body"); i++) {
      await page.keyboard.press("Tab");
      stops.push(
        await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return "body";
          return el.getAttribute("aria-labelledby") === "outbox-title" ? "outbox region" : el.id || el.tagName.toLowerCase();
        }),
      );
    }
    expect(stops).toContain("body");
    expect(stops).not.toContain("outbox region");
    const sent: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const m = memo(CVR, i <= 4 ? BORGERSERVICE : BYGGESAGER, `E2E brev ${i}`, { cvr: "12345674", label: "postvej" });
      const res = await fetch(`${api.origin}/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${api.senderKey}`, "content-type": "application/xml" },
        body: m.xml,
      });
      expect(res.status, await res.clone().text()).toBe(202);
      sent.push(m.uuid);
    }
    // The failed attempts open an episode on the primary.
    await statusUntil(
      `(root) => { const a = [...root.querySelectorAll("article.system")].find((x) => x.querySelector("h3")?.textContent === "Sagssystem (demo)"); return !!a?.querySelector("figure.timeline") && a.querySelector(".undelivered dd")?.textContent === "6"; }`,
    );
    expect(await card("Sagssystem (demo)").locator(".next-step").innerText()).toContain("Advarsel til kontakterne (dag 2)");
    expect(await card("Sagssystem (demo)").locator(".last-failure .reason").textContent()).toBe("svarede 503 (midlertidigt utilgængelig)");

    // 3. Fast-forward a day at a time until the panel shows the deactivation.
    let days = 0;
    let sawDay2Warning = false;
    while ((await card("Sagssystem (demo)").locator(".badge.state").textContent()) !== "Deaktiveret") {
      expect(days, "deactivated within 8 simulated days").toBeLessThan(8);
      const before = await page.locator("#clock").textContent();
      await page.getByRole("button", { name: "+1 døgn" }).click();
      await page.waitForFunction((b) => document.querySelector("#clock")?.textContent !== b, before);
      days++;
      await statusUntil(`(root) => !root.querySelector("[aria-busy=true]")`);
      const text = await card("Sagssystem (demo)").innerText();
      if (/Advarsel \(dag 2\): sendt /.test(text)) sawDay2Warning = true;
      if (days === 3) await page.locator("postvej-status-panel").screenshot({ path: `${shots}e2e-status-day3-da.png` });
    }
    expect(sawDay2Warning).toBe(true);
    expect(days).toBeGreaterThanOrEqual(7);
    await statusUntil(`(root) => root.querySelector(".virk-count")?.textContent === "6 meddelelser"`);
    expect(await card("Sagssystem (demo)").innerText()).toContain("(automatisk)");
    // Day 7 says what was done with the post, and why: the API's system_deactivated event and last failure, in words.
    await card("Sagssystem (demo)").locator(".moved dd").waitFor();
    expect(await card("Sagssystem (demo)").locator(".moved dd").textContent()).toBe("6 meddelelser til postkassen på Virk");
    expect(await card("Sagssystem (demo)").locator(".last-failure .reason").textContent()).toBe("svarede 503 (midlertidigt utilgængelig)");
    expect(await card("Sagssystem (demo)").locator("p.day7").count()).toBe(1);
    await page.locator("postvej-status-panel").screenshot({ path: `${shots}e2e-status-deactivated-da.png` });
    // The page's outbox log shows the e-mails the episode sent: short Danish subjects, no internal ids.
    await page.locator("#outbox-rows tr", { hasText: "er deaktiveret" }).waitFor();
    const subjects = await page.locator("#outbox-rows .subject").allTextContents();
    // With e-mails in it, its scroll region is a Tab stop (a keyboard user can scroll a wide log sideways).
    expect(await page.locator("#outbox-table").evaluate((e) => (e as HTMLElement).tabIndex >= 0 && e.checkVisibility())).toBe(true);
    expect(subjects).toEqual(
      expect.arrayContaining([
        "Advarsel: 6 meddelelser kan ikke leveres til Sagssystem (demo)",
        "Anden advarsel: 6 meddelelser kan ikke leveres til Sagssystem (demo)",
        "Modtagersystemet Sagssystem (demo) hos Demo Kommune er deaktiveret",
      ]),
    );
    for (const subject of subjects) {
      expect([...subject].length, subject).toBeLessThanOrEqual(78);
      expect(subject).not.toMatch(/\b(rel|rs|ntf)_/);
    }
    expect(await page.locator("#outbox-rows tr", { hasText: "er deaktiveret" }).locator(".to").textContent()).toBe(
      "drift+sagssystem@demo-kommune.dk, post+sagssystem@demo-kommune.dk",
    );
    // The panels kept working while the simulated clock outran their tokens: they asked for new ones.
    expect(await page.locator("postvej-status-panel [role=alert]").allTextContents()).toEqual([]);

    // 4. Move the post out of Virk with the keyboard only.
    const rel = page.locator("postvej-relocation-panel");
    await page.waitForFunction(
      async () => {
        const p = document.querySelector("postvej-relocation-panel");
        await p?.refresh();
        return p?.shadowRoot?.querySelectorAll("table.messages tbody tr").length === 6;
      },
      undefined,
      { polling: 250, timeout: 30_000 },
    );
    expect(await rel.getByRole("radio").count()).toBe(1);
    expect(await rel.locator("details.not-offered li").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining("Borgerservice – Sagssystem (demo): modtagersystemet er deaktiveret")]),
    );
    // The Virk table lists the newest first, in a stable order, and shows the sender as "postvej (12345674)".
    const listed = () =>
      rel.locator("table.messages tbody tr").evaluateAll((rows) =>
        rows.map((r) => ({
          label: r.querySelector(".label")?.textContent ?? "",
          received: r.querySelector("td time")?.getAttribute("datetime") ?? "",
          sender: (r.querySelector(".sender") as HTMLElement | null)?.innerText ?? "",
        })),
      );
    const virkRows = await listed();
    expect(virkRows.map((r) => r.label)).toEqual(["E2E brev 6", "E2E brev 5", "E2E brev 4", "E2E brev 3", "E2E brev 2", "E2E brev 1"]);
    const received = virkRows.map((r) => r.received);
    expect([...received].sort().reverse()).toEqual(received);
    expect(new Set(virkRows.map((r) => r.sender))).toEqual(new Set(["postvej (12345674)"]));
    await page.evaluate(() => document.querySelector("postvej-relocation-panel")?.refresh());
    expect(await listed()).toEqual(virkRows);

    // The page fits: at 390 px nothing scrolls sideways; at 1024 px the filter fields and buttons share one line.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => window.innerWidth === 390);
    expect(await page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${shots}e2e-demo-390-da.png`, fullPage: true });
    expect(await runAxe(page)).toEqual([]);
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.waitForFunction(() => window.innerWidth === 1024);
    expect(await page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth)).toBeLessThanOrEqual(0);
    const bottoms = await rel
      .locator(".filters input, .filters select, .filters button")
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().bottom)));
    expect(bottoms).toHaveLength(6);
    expect(Math.max(...bottoms) - Math.min(...bottoms)).toBeLessThanOrEqual(1);
    await rel.locator("form.filters").screenshot({ path: `${shots}e2e-demo-1024-filters-da.png` });
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.waitForFunction(() => window.innerWidth === 1400);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tabTo(page, /^input\.select-page\[/);
    await page.keyboard.press("Space");
    await rel.locator(".selected-count", { hasText: "6 meddelelser valgt" }).waitFor();
    await tabTo(page, new RegExp(`^input\\.\\[\\]=${SKOLE}`));
    await page.keyboard.press("Space");
    expect(await rel.getByRole("radio", { name: /Skole og dagtilbud/ }).isChecked()).toBe(true);
    await tabTo(page, /^button\.primary\.move-start/);
    await page.keyboard.press("Enter");
    await rel.getByRole("dialog").waitFor();
    expect(await rel.locator("dialog .confirm-text").textContent()).toBe("Flyt 6 meddelelser fra Virk til Skole og dagtilbud?");
    expect(await describeFocus(page)).toMatch(/^button\.primary\.confirm-move/);
    await page.keyboard.press("Enter");
    await rel.locator(".progress h4", { hasText: "færdig" }).waitFor({ timeout: 30_000 });
    expect(await rel.locator(".progress-text").textContent()).toBe("6 af 6 flyttet, 0 sprunget over");

    // 5. The history names who, what and where; its items say which message went where.
    const entry = rel.locator(".history-entry").first();
    await entry.waitFor();
    expect(await entry.locator(".target-name").textContent()).toBe("Skole og dagtilbud");
    expect(await entry.locator(".actor").textContent()).toBe("Demo Administrator");
    expect(await entry.locator(".counts").textContent()).toBe("6 / 0 / 6");
    await tabTo(page, /^button\.toggle-items/);
    await page.keyboard.press("Enter");
    await entry.locator("table.items-table tbody tr").nth(5).waitFor();
    expect(await entry.locator("table.items-table .to").allTextContents()).toEqual(Array(6).fill("Skole og dagtilbud"));
    const uuids = await entry.locator("table.items-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-uuid")));
    expect(uuids.sort()).toEqual(sent.map((u) => u.toLowerCase()).sort());
    // The history shows the sender as the mailbox does, not a bare CVR.
    expect(
      new Set(await entry.locator("table.items-table .sender").evaluateAll((c) => c.map((x) => (x as HTMLElement).innerText))),
    ).toEqual(new Set(["postvej (12345674)"]));
    // The move's receipt is in the outbox log, its subject without the move's id.
    await page.locator("#outbox-rows .subject", { hasText: "Kvittering: 6 meddelelser flyttet fra Virk (Demo Kommune)" }).waitFor();
    await rel.screenshot({ path: `${shots}e2e-relocation-moved-da.png` });

    // 6. Virk is empty again, and the moved post reaches the system behind the target.
    await statusUntil(`(root) => root.querySelector(".virk-count")?.textContent === "0 meddelelser"`);
    await statusUntil(
      `(root) => { const a = [...root.querySelectorAll("article.system")].find((x) => x.querySelector("h3")?.textContent === "Dokumentboks (demo)"); return a?.querySelector(".last-delivered dd")?.textContent !== "aldrig"; }`,
    );
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });

  test("the demo portal and both panels have no axe-core violations, in Danish and in English", async () => {
    expect(await runAxe(page)).toEqual([]);
    await page.screenshot({ path: `${shots}e2e-demo-da.png`, fullPage: true });
    await page.getByRole("button", { name: "English" }).click();
    await page.locator("postvej-status-panel h2", { hasText: "Recipient system status" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await card("Sagssystem (demo)").locator(".badge.state").textContent()).toBe("Deactivated");
    expect(await runAxe(page)).toEqual([]);
    await page.screenshot({ path: `${shots}e2e-demo-en.png`, fullPage: true });
  });

  test("reactivating the primary from the status panel", async () => {
    await page.getByRole("button", { name: "Start Sagssystem (demo) again" }).click();
    await card("Sagssystem (demo)").getByRole("button", { name: "Reactivate" }).click();
    await statusUntil(`(root) => (${systemState})(root, "Sagssystem (demo)") === "Active"`);
    await page.locator("postvej-status-panel [role=status]", { hasText: "Sagssystem (demo) has been reactivated." }).waitFor();
  });
});
