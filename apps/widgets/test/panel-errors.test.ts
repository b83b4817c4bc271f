// What a panel says when it cannot do its work: an API it cannot reach, or a token the API refuses
// (after the host's fresh tokens were refused too). The reader gets a sentence in the panel's
// language, not "TypeError: Failed to fetch" or the server's English, and no endless "Henter …".
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser } from "./browser.ts";
import { startFixture, type Fixture } from "./fixture-server.ts";

let browser: Browser;
let fixture: Fixture;
let page: Page;

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

/** Adds one more status panel to the fixture page, at `apiBase` (the fixture's API unless given), whose host never has a token the API accepts. */
async function addPanel(lang: string, apiBase?: string): Promise<void> {
  fixture = await startFixture();
  page = await browser.newPage();
  await page.goto(`${fixture.origin}/page.html?panels=status&lang=${lang}`);
  await page.locator("postvej-status-panel#status article.system").first().waitFor();
  await page.evaluate(
    ({ lang, apiBase }) => {
      const panel = document.createElement("postvej-status-panel") as HTMLElement & { token: string; apiBase: string };
      panel.id = "lonely";
      panel.setAttribute("authority", "34051178");
      panel.setAttribute("lang", lang);
      panel.setAttribute("refresh-interval", "0");
      // Not the fixture host's handler: this host answers each ask with another token the API
      // refuses too, so the panel gives up after its bounded number of asks.
      let minted = 0;
      panel.addEventListener("postvej-token-expiring", (e) => {
        e.stopPropagation();
        panel.token = `pvp_refused_${++minted}`;
        (window as unknown as { minted: number }).minted = minted;
      });
      panel.apiBase = apiBase;
      panel.token = "pvp_refused_0";
      document.body.append(panel);
    },
    { lang, apiBase: apiBase ?? fixture.origin },
  );
}

const lonely = () => page.locator("postvej-status-panel#lonely");

describe("a panel that cannot load", () => {
  test("a refused token: says so in Danish, without the server's English or a loading line", async () => {
    await addPanel("da");
    const error = lonely().locator("p.error[role=alert]");
    await error.waitFor();
    expect(await error.innerText()).toBe("Noget gik galt: adgangen er udløbet eller ikke gyldig. Genindlæs siden.");
    expect(await lonely().innerText()).not.toContain("Henter");
    expect(await lonely().innerText()).not.toContain("Unauthorized");
    // It asked a bounded number of times (each ask one more token, and one more call of the API).
    const asks = await page.evaluate(() => (window as unknown as { minted: number }).minted);
    expect(asks).toBeGreaterThan(0);
    expect(asks).toBeLessThanOrEqual(4);
  });

  test("an API it cannot reach: says so in English, not the browser's TypeError", async () => {
    await addPanel("en", "http://127.0.0.1:1");
    const error = lonely().locator("p.error[role=alert]");
    await error.waitFor();
    expect(await error.innerText()).toBe("Something went wrong: postvej cannot be reached right now. Try again shortly.");
    expect(await lonely().innerText()).not.toContain("Loading");
    expect(await lonely().innerText()).not.toContain("TypeError");
  });
});
