import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

/** Where screenshots go (repo root, ignored by git); the README names it. */
export const screenshotDir = fileURLToPath(new URL("../../../artifacts/screenshots/", import.meta.url));

/** Launches Debian's Chromium headless, with every outside host unresolvable. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
    ],
  });
}

/** Collects page errors and console errors so tests can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** The element that has focus, looking through shadow roots, described as `tag.class[aria-label]|text`. */
export function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return "";
    const label = el.getAttribute("aria-label") ?? "";
    const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 80);
    const value = el instanceof HTMLInputElement ? `=${el.value}` : "";
    return `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}[${label}]${value}|${text}`;
  });
}

/** Presses Tab (up to `max` times) until the focused element's description matches; returns it. */
export async function tabTo(page: Page, match: RegExp, max = 200, key = "Tab"): Promise<string> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await describeFocus(page);
    if (match.test(now)) return now;
  }
  throw new Error(`no focusable element matching ${match} within ${max} presses of ${key}`);
}
