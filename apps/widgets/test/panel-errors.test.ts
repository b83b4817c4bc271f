// What a panel says when it cannot do its work: an API it cannot reach, or a token the API refuses
// (after the host's fresh tokens were refused too). The reader gets a sentence in the panel's
// language, not "TypeError: Failed to fetch" or the server's English, and no endless "Henter …".
import { describe, expect, test } from "vitest";
import { fixturePages } from "./fixture-page.ts";

const s = fixturePages();

/** Adds one more status panel to the fixture page, at `apiBase` (the fixture's API unless given), whose host never has a token the API accepts. */
async function addPanel(lang: string, apiBase?: string): Promise<void> {
  await s.open(`panels=status&lang=${lang}`);
  await s.page.locator("postvej-status-panel#status article.system").first().waitFor();
  await s.page.evaluate(
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
    { lang, apiBase: apiBase ?? s.fixture.origin },
  );
}

const lonely = () => s.page.locator("postvej-status-panel#lonely");

describe("a panel that cannot load", () => {
  test("a refused token: says so in Danish, without the server's English or a loading line", async () => {
    await addPanel("da");
    const error = lonely().locator("p.error[role=alert]");
    await error.waitFor();
    expect(await error.innerText()).toBe("Noget gik galt: adgangen er udløbet eller ikke gyldig. Genindlæs siden.");
    expect(await lonely().innerText()).not.toContain("Henter");
    expect(await lonely().innerText()).not.toContain("Unauthorized");
    // It asked a bounded number of times (each ask one more token, and one more call of the API).
    const asks = await s.page.evaluate(() => (window as unknown as { minted: number }).minted);
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

/** Answers the matching POSTs with a problem+json `status` whose `detail` is the API's English. */
async function refuse(glob: string, status: number, code: string): Promise<void> {
  await s.page.unroute(glob);
  await s.page.route(glob, (route) =>
    route.request().method() !== "POST"
      ? route.continue()
      : route.fulfill({
          status,
          contentType: "application/problem+json",
          body: JSON.stringify({ type: "about:blank", title: "Refused", status, code, detail: `The API says no in English (${code}).` }),
        }),
  );
}

describe("an API refusal reads in the panel's language, not the API's English detail", () => {
  test.each([
    ["da", 403, "din adgang giver ikke lov til denne handling."],
    ["da", 404, "det findes ikke (længere). Opdatér panelet."],
    ["da", 409, "det passer ikke til, hvordan tingene står nu. Opdatér panelet."],
    ["da", 422, "postvej afviste oplysningerne i anmodningen."],
    ["da", 503, "postvej kan ikke lige nu. Prøv igen om lidt."],
    ["en", 403, "your access does not allow this action."],
    ["en", 409, "it does not fit how things stand now. Refresh the panel."],
    ["en", 500, "postvej cannot do it right now. Try again shortly."],
  ])("%s: a %i on a test delivery", async (lang, status, words) => {
    await s.open(`panels=status&lang=${lang}`);
    const card = s.page.locator("postvej-status-panel article.system", { hasText: "Byggesag Nord" });
    await refuse("**/recipient-systems/*/test", status, `code_${status}`);
    await card.locator(`button[part~="test-button"]`).click();
    const prefix = lang === "da" ? "Noget gik galt" : "Something went wrong";
    await expect.poll(() => card.locator(".result").textContent()).toBe(`${prefix}: ${words}`);
    expect(await s.page.locator("postvej-status-panel p.error[role=alert]").textContent()).toBe(`${prefix}: ${words}`);
    // The host still gets the API's own code and detail in the event.
    const detail = await s.page.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          document.addEventListener("postvej-error", (e) => resolve(e.detail), { once: true });
          document
            .querySelector("postvej-status-panel")
            ?.shadowRoot?.querySelector<HTMLButtonElement>(`button[part~="test-button"]`)
            ?.click();
        }),
    );
    expect(detail).toMatchObject({ status, code: `code_${status}`, message: `Refused: The API says no in English (code_${status}).` });
  });

  test("relocation panel: the refused dry run's error goes away when the next one succeeds", async () => {
    await s.open(`panels=relocation&lang=da`);
    const panel = s.page.locator("postvej-relocation-panel");
    await panel.locator("input.select-row").first().check();
    await panel.getByRole("radio").first().check();
    await refuse("**/relocations", 422, "invalid_target");
    await panel.locator("button.preview").click();
    await expect
      .poll(() => panel.locator("p.error[role=alert]").textContent())
      .toBe("Noget gik galt: postvej afviste oplysningerne i anmodningen.");
    await s.page.unroute("**/relocations");
    await panel.locator("button.preview").click();
    await panel.locator(".plan").waitFor();
    expect(await panel.locator("p.error[role=alert]").count()).toBe(0);
  });
});
