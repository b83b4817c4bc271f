import { describe, expect, test } from "vitest";
import { describeFocus, watchErrors } from "./browser.ts";
import { makeDeactivationEvents } from "./fixture-data.ts";
import { fixturePages } from "./fixture-page.ts";
import { startFixture } from "./fixture-server.ts";

const s = fixturePages();

async function open(query: string): Promise<void> {
  await s.open(`panels=status&${query}`);
  await s.page.locator("postvej-status-panel article.system").first().waitFor();
}

const panel = () => s.page.locator("postvej-status-panel");
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
    // Danish date format, in Danish time: 25. nov. 2026 kl. 10.00 is 09:00Z on 25 Nov.
    expect(arkiv).toContain("25. nov. 2026 kl. 10.00");
    expect(await system("Byggesag Nord").innerText()).toContain("byg.example.net");
    expect(await system("Byggesag Nord").locator(".undelivered dd").textContent()).toBe("14");
    expect(await panel().locator(".virk-count").textContent()).toBe("120 meddelelser");
    expect(await panel().locator("header").innerText()).toContain("I dag: 27. nov. 2026");
    expect(s.errors).toEqual([]);
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
    // Said as a person would (was "I dag er dag 3,1 af 7."), and each date written once.
    expect(text).toContain("Leveringen har fejlet i 3 døgn og 2 timer. Efter 7 døgn bliver systemet deaktiveret.");
    expect(text).toMatch(/Anden advarsel \(dag 5\): 29\. nov\. 2026 kl\. 08\.00\n/);
    // A sent warning says when it was sent, and its date only once.
    expect(text).toMatch(/Advarsel \(dag 2\): sendt 26\. nov\. 2026 kl\. 08\.01\n/);
    expect(text.match(/26\. nov\. 2026/g)).toHaveLength(1);
    expect(text).toContain("Deaktivering (dag 7): 1. dec. 2026 kl. 08.00");
    expect(await sys.locator(".tick.day2.passed").count()).toBe(1);
    expect(await sys.locator(".tick.day5.passed").count()).toBe(0);
    expect(await sys.locator(".next-step").innerText()).toBe(
      "Næste skridt: Anden advarsel til kontakterne (dag 5), 29. nov. 2026 kl. 08.00",
    );
    expect(await system("Sag og Dokument").locator("figure.timeline").count()).toBe(0);
  });

  test("switches language at run time, with English dates", async () => {
    await open("lang=da");
    await panel().evaluate((e) => e.setAttribute("lang", "en"));
    await expect(panel().locator("h2").textContent()).resolves.toBe("Recipient system status");
    const text = await system("Byggesag Nord").innerText();
    expect(text).toContain("Next step: Second warning to the contacts (day 5), 29 Nov 2026, 08:00");
    expect(text).toContain("Deliveries have failed for 3 days and 2 hours. After 7 days the system is deactivated.");
    expect(await panel().locator(".virk-count").textContent()).toBe("120 messages");
  });

  test("reactivates a deactivated system and announces the change", async () => {
    await open("lang=en");
    const arkiv = system("Gammelt arkiv");
    await arkiv.getByRole("button", { name: "Reactivate" }).click();
    await s.page.waitForFunction(
      () =>
        document.querySelector("postvej-status-panel")?.shadowRoot?.querySelector('[data-system-id="rs_pull"] .badge.state')
          ?.textContent === "Active",
    );
    expect(s.fixture.state.log.some((r) => r.method === "POST" && r.url.endsWith("/recipient-systems/rs_pull/reactivate"))).toBe(true);
    await s.page.waitForFunction(() =>
      (document.querySelector("postvej-status-panel")?.shadowRoot?.querySelector('[role="status"]')?.textContent ?? "").includes(
        "has been reactivated",
      ),
    );
    expect(await arkiv.getByRole("button", { name: "Reactivate" }).count()).toBe(0);
    // The button that had focus is gone: focus is on the system's heading, not dropped to the page.
    expect(await describeFocus(s.page)).toBe("h3.[]|Gammelt arkiv");
  });

  test("reports a failed test delivery", async () => {
    await open("lang=en");
    const sys = system("Byggesag Nord");
    await sys.getByRole("button", { name: "Send test delivery" }).click();
    await sys.locator(".result", { hasText: "failed" }).waitFor();
    // The API's code (`http_503`) in words (the fixture answered a free text "HTTP 503 Service Unavailable" before).
    expect(await sys.locator(".result").textContent()).toBe(
      "Test delivery to Byggesag Nord failed: answered 503 (temporarily unavailable).",
    );
  });

  test("a failed test delivery that timed out says so with its duration (Danish)", async () => {
    await s.open(`panels=status&lang=da`, {
      prepare: (f) => {
        f.state.testResult = {
          outcome: "failed",
          statusCode: null,
          error: "timeout",
          durationMs: 15_004,
          messageUUID: "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f",
        };
      },
    });
    const sys = system("Byggesag Nord");
    await sys.getByRole("button", { name: "Send testlevering" }).click();
    await sys.locator(".result", { hasText: "fejlede" }).waitFor();
    expect(await sys.locator(".result").textContent()).toBe("Testlevering til Byggesag Nord fejlede: svarede ikke inden 15 s.");
  });

  test("a failing system's card says why, in words, with the time: a 401 in Danish and in English", async () => {
    s.fixture = await startFixture();
    const failing = s.fixture.state.status.systems[1]!;
    failing.lastFailure = {
      at: "2026-11-27T08:59:00.000Z",
      statusCode: 401,
      error: "http_401",
      durationMs: 35,
      messageUUID: "5b0f8f2e-3c1a-4d2b-9e8f-7a6b5c4d3e2f",
    };
    s.page = await s.browser.newPage();
    s.errors = watchErrors(s.page);
    await s.page.goto(`${s.fixture.origin}/page.html?panels=status&lang=da`);
    const why = system("Byggesag Nord").locator(".last-failure");
    await why.waitFor();
    expect(await why.innerText()).toBe("Seneste fejl 27. nov. 2026 kl. 09.59: svarede 401 (afvist – kontrollér signeringsnøglen)");
    expect(await why.locator("time").getAttribute("datetime")).toBe("2026-11-27T08:59:00.000Z");
    await panel().evaluate((e) => e.setAttribute("lang", "en"));
    await why.locator("strong", { hasText: "Last failure" }).waitFor();
    expect(await why.innerText()).toBe("Last failure 27 Nov 2026, 09:59: answered 401 (refused — check the signing secret)");
    // Never the raw code; a healthy system shows no failure.
    expect(await panel().innerText()).not.toContain("http_401");
    expect(await system("Sag og Dokument").locator(".last-failure").count()).toBe(0);
    expect(s.errors).toEqual([]);
  });

  test("a failure without an HTTP answer: a timeout with its duration, a refused connection", async () => {
    s.fixture = await startFixture();
    const failing = s.fixture.state.status.systems[1]!;
    failing.lastFailure = {
      at: "2026-11-27T08:59:00.000Z",
      statusCode: null,
      error: "timeout",
      durationMs: 15_002,
      messageUUID: "5b0f8f2e-3c1a-4d2b-9e8f-7a6b5c4d3e2f",
    };
    s.page = await s.browser.newPage();
    s.errors = watchErrors(s.page);
    await s.page.goto(`${s.fixture.origin}/page.html?panels=status&lang=da`);
    const why = system("Byggesag Nord").locator(".last-failure .reason");
    await why.waitFor();
    expect(await why.textContent()).toBe("svarede ikke inden 15 s");
    failing.lastFailure = { ...failing.lastFailure, error: "connection_refused", durationMs: 3 };
    await panel().getByRole("button", { name: "Opdatér" }).click();
    await why.filter({ hasText: "forbindelsen blev afvist" }).waitFor();
    await panel().evaluate((e) => e.setAttribute("lang", "en"));
    await why.filter({ hasText: "the connection was refused" }).waitFor();
    expect(s.errors).toEqual([]);
  });

  test("day 7: a deactivated system's card says what was done with its post, and when", async () => {
    s.fixture = await startFixture();
    s.fixture.state.events = makeDeactivationEvents();
    const arkivStatus = s.fixture.state.status.systems[2]!;
    arkivStatus.lastFailure = {
      at: "2026-11-25T08:58:00.000Z",
      statusCode: 503,
      error: "http_503",
      durationMs: 80,
      messageUUID: "5b0f8f2e-3c1a-4d2b-9e8f-7a6b5c4d3e2f",
    };
    s.page = await s.browser.newPage();
    s.errors = watchErrors(s.page);
    await s.page.goto(`${s.fixture.origin}/page.html?panels=status&lang=da`);
    const arkiv = system("Gammelt arkiv");
    await arkiv.locator(".moved dd").waitFor();
    expect(await arkiv.locator(".deactivated-at dd").textContent()).toBe("25. nov. 2026 kl. 10.00 (automatisk)");
    expect(await arkiv.locator(".moved dt").textContent()).toBe("Flyttet ved deaktiveringen");
    expect(await arkiv.locator(".moved dd").textContent()).toBe("3 meddelelser til det primære modtagersystem, Sag og Dokument");
    expect(await arkiv.locator("p.day7").textContent()).toBe(
      "Dag 7: Systemet er deaktiveret automatisk, fordi ingen levering er lykkedes i 7 døgn.",
    );
    expect(await arkiv.locator(".last-failure .reason").textContent()).toBe("svarede 503 (midlertidigt utilgængelig)");
    const asked = s.fixture.state.log.filter((r) => r.url.includes("/events?"));
    expect(asked.map((r) => r.url)).toEqual([`/v1/authorities/29189846/events?type=system_deactivated&recipientSystemId=rs_pull&limit=1`]);
    // The event is read once per deactivation, not on every refresh.
    await panel().getByRole("button", { name: "Opdatér" }).click();
    await s.page.waitForFunction(
      () => document.querySelector("postvej-status-panel")?.shadowRoot?.querySelector("button")?.disabled === false,
    );
    expect(s.fixture.state.log.filter((r) => r.url.includes("/events?")).length).toBe(1);

    // To Virk, in English.
    s.fixture.state.events[0]!.data = { reason: "automatic", moved: 1, destination: { kind: "virk" } };
    s.fixture.state.status.systems[2]!.deactivatedAt = "2026-11-26T09:00:00.000Z";
    await panel().evaluate((e) => e.setAttribute("lang", "en"));
    await panel().getByRole("button", { name: "Refresh" }).click();
    await arkiv.locator(".moved dd", { hasText: "Virk" }).waitFor();
    expect(await arkiv.locator(".moved dd").textContent()).toBe("1 message to the Virk mailbox");
    expect(await arkiv.locator(".deactivated-at dd").textContent()).toBe("26 Nov 2026, 10:00 (automatically)");
    expect(s.errors).toEqual([]);
  });

  test("post that merely waits reads as waiting, not as undelivered beside a healthy line", async () => {
    s.fixture = await startFixture();
    s.fixture.state.status.systems[0]!.undelivered = 5;
    s.fixture.state.status.systems[0]!.oldestUndeliveredAt = "2026-11-27T08:58:00.000Z";
    s.page = await s.browser.newPage();
    s.errors = watchErrors(s.page);
    await s.page.goto(`${s.fixture.origin}/page.html?panels=status&lang=da`);
    const primary = panel().locator('article[data-system-id="rs_primary"]');
    await primary.locator(".healthy").waitFor();
    expect(await primary.locator(".undelivered dt").textContent()).toBe("Venter på levering");
    expect(await primary.locator(".undelivered dd").textContent()).toBe("5");
    expect((await primary.locator(".healthy").textContent())?.trim()).toBe(
      "Ingen leveringsfejl. 5 meddelelser venter på at blive leveret.",
    );
    expect(await primary.innerText()).not.toContain("Ikke leveret");
    // The one healthy line says the post waits; there is no bare "Ingen leveringsfejl." beside a count.
    expect(await primary.locator(".healthy").count()).toBe(1);
    // A failing system's post is still "Ikke leveret".
    expect(await system("Byggesag Nord").locator(".undelivered dt").textContent()).toBe("Ikke leveret");
  });

  test("after a move out of Virk the target's card refreshes by itself", async () => {
    await s.open(`panels=status,relocation&lang=da`, { virk: 3 });
    const rel = s.page.locator("postvej-relocation-panel");
    await rel.locator("table.messages tbody tr").first().waitFor();
    await panel().locator(".virk-count", { hasText: "3 meddelelser" }).waitFor();
    await rel.locator("input.select-page").check();
    await rel.getByRole("radio", { name: "Borgerservice – Sag og Dokument" }).check();
    // The moved post waits at the primary (the fixture's state stands in for the API's).
    s.fixture.state.status.systems[0]!.undelivered = 3;
    await rel.locator("button.move-start").click();
    await rel.getByRole("dialog").getByRole("button", { name: "Ja, flyt posten" }).click();
    await rel.locator(".progress h4", { hasText: "færdig" }).waitFor();
    // No click on "Opdatér": the status panel heard the relocation panel finish.
    await panel().locator(".virk-count", { hasText: "0 meddelelser" }).waitFor();
    expect(await panel().locator('article[data-system-id="rs_primary"] .undelivered dd').textContent()).toBe("3");
    expect(s.errors).toEqual([]);
  });

  test("each action's accessible name names its system; the visible text stays the action's", async () => {
    await open("lang=da");
    const named = (name: string) => panel().getByRole("button", { name, exact: true });
    for (const name of ["Send testlevering til Sag og Dokument", "Send testlevering til Byggesag Nord"]) {
      expect(await named(name).count()).toBe(1);
      expect((await named(name).textContent())?.trim()).toBe("Send testlevering");
    }
    expect(await named("Send testlevering").count()).toBe(0);
    expect((await named("Genaktivér Gammelt arkiv").textContent())?.trim()).toBe("Genaktivér");
    expect((await named("Prøv igen nu for Byggesag Nord").textContent())?.trim()).toBe("Prøv igen nu");
    await panel().evaluate((e) => e.setAttribute("lang", "en"));
    await named("Send test delivery to Byggesag Nord").waitFor();
    expect(await named("Reactivate Gammelt arkiv").count()).toBe(1);
    expect(await named("Retry now for Byggesag Nord").count()).toBe(1);
    expect(s.errors).toEqual([]);
  });

  test("retry now: only on a failing push system with post waiting; its answer in words, and an event for the host (English)", async () => {
    await open("lang=en");
    // The healthy primary, the deactivated pull system: no retry. The failing push system with 14 waiting: retry.
    expect(await panel().getByRole("button", { name: "Retry now" }).count()).toBe(1);
    expect(await system("Byggesag Nord").getByRole("button", { name: "Retry now" }).count()).toBe(1);
    const heard = s.page.evaluate(
      () =>
        new Promise<unknown>((resolve) =>
          document.addEventListener("postvej-retry-now", (e) => resolve((e as CustomEvent).detail), { once: true }),
        ),
    );
    s.fixture.state.retryMore = true;
    await system("Byggesag Nord").getByRole("button", { name: "Retry now" }).click();
    await system("Byggesag Nord").locator(".result").waitFor();
    expect(await system("Byggesag Nord").locator(".result").textContent()).toBe(
      "Delivering 10,000 messages to Byggesag Nord again now. More are waiting: press again.",
    );
    expect(await heard).toMatchObject({ systemId: "rs_failing", result: { madeDue: 10_000, limit: 10_000, more: true } });
    // The status is read again after it, so the card shows what the retry changed.
    const posts = s.fixture.state.log.map((r) => `${r.method} ${r.url}`);
    expect(posts.indexOf("POST /v1/authorities/29189846/recipient-systems/rs_failing/retry-now")).toBeLessThan(
      posts.lastIndexOf("GET /v1/authorities/29189846/status"),
    );
    expect(s.errors).toEqual([]);
  });

  test("retry now refused (the system was deactivated meanwhile): said in the panel's language, not the API's English", async () => {
    await open("lang=da");
    const retry = system("Byggesag Nord").getByRole("button", { name: "Prøv igen nu" });
    await retry.waitFor();
    // Day 7 came between the panel's last look and the press: the API answers 409 system_deactivated.
    Object.assign(s.fixture.state.status.systems[1]!, { state: "deactivated", deactivatedAt: "2026-11-27T09:00:00.000Z" });
    const said = s.page.evaluate(
      () =>
        new Promise<unknown>((resolve) =>
          document.addEventListener("postvej-error", (e) => resolve((e as CustomEvent).detail), { once: true }),
        ),
    );
    await retry.click();
    const text = "Noget gik galt: det passer ikke til, hvordan tingene står nu. Opdatér panelet.";
    await panel().locator("[role=alert]", { hasText: text }).waitFor();
    expect(await system("Byggesag Nord").locator(".result.error").textContent()).toBe(text);
    expect(await said).toMatchObject({ status: 409, code: "system_deactivated" });
    expect(await panel().innerText()).not.toContain("reactivate it first");
  });

  test("a view-only token hides the actions", async () => {
    await open("lang=da&caps=view");
    await panel().locator(".virk-count").waitFor();
    expect(await panel().getByRole("button", { name: "Genaktivér" }).count()).toBe(0);
    expect(await panel().getByRole("button", { name: "Send testlevering" }).count()).toBe(0);
    expect(await panel().getByRole("button", { name: "Prøv igen nu" }).count()).toBe(0);
    expect(await panel().getByRole("button", { name: "Opdatér" }).count()).toBe(1);
  });

  test("on a 401 asks the host for a fresh token and retries once", async () => {
    await open("lang=da");
    const before = await panel().evaluate((e) => (e as HTMLElement & { token: string }).token);
    s.fixture.state.tokens.delete(before);
    s.fixture.state.status.virkCount = 0;
    s.fixture.state.virk.splice(0, 20);
    await panel().getByRole("button", { name: "Opdatér" }).click();
    await s.page.waitForFunction(
      () => document.querySelector("postvej-status-panel")?.shadowRoot?.querySelector(".virk-count")?.textContent === "100 meddelelser",
    );
    const events = await s.page.evaluate(() => (window as unknown as { tokenEvents: unknown[] }).tokenEvents);
    expect(events).toContainEqual({ authority: "29189846", reason: "unauthorized" });
    const after = await panel().evaluate((e) => (e as HTMLElement & { token: string }).token);
    expect(after).not.toBe(before);
    expect(await panel().locator("[role=alert]").count()).toBe(0);
  });

  test("asks for a fresh token about a minute before it expires", async () => {
    await s.open(`panels=status&lang=da`);
    await panel().locator(".virk-count").waitFor();
    // A token that expires in 61 s: the panel should ask for a new one within about a second.
    const short = s.fixture.mint(["view"], 61_000);
    await panel().evaluate((e, t) => ((e as HTMLElement & { token: string }).token = t), short);
    await s.page.waitForFunction(
      () => (window as unknown as { tokenEvents: { reason: string }[] }).tokenEvents.some((e) => e.reason === "expiring"),
      undefined,
      { timeout: 10_000 },
    );
    // The host answers the event by minting a new token, which it hands over when the mint returns.
    await expect.poll(() => panel().evaluate((e) => (e as HTMLElement & { token: string }).token), { timeout: 10_000 }).not.toBe(short);
  });

  test("a domain clock days ahead (the demo's fast-forward) does not make the panel ask for tokens: expiry is wall-clock time", async () => {
    await s.open(`panels=status&lang=da`, {
      prepare: (f) => {
        f.state.domainAheadMs = 7 * 86_400_000;
      },
    });
    await panel().locator(".virk-count").waitFor();
    const token = await panel().evaluate((e) => (e as HTMLElement & { token: string }).token);
    await panel().evaluate((e) => (e as HTMLElement & { refresh(): Promise<void> }).refresh());
    // Had the status `now` (a week ahead) timed the refresh, its timer (delay 0) would have fired by now.
    await s.page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    expect(await s.page.evaluate(() => (window as unknown as { tokenEvents: unknown[] }).tokenEvents)).toEqual([]);
    expect(await panel().evaluate((e) => (e as HTMLElement & { token: string }).token)).toBe(token);
    expect(s.errors).toEqual([]);
  });

  test("a failing system's link asks the host, by a bubbling composed event, to open the event log on it", async () => {
    await open("lang=da");
    const link = system("Byggesag Nord").locator("button.open-event-log");
    expect(await link.textContent()).toContain("Se hændelser for Byggesag Nord");
    expect(await system("Sag og Dokument").locator("button.open-event-log").count()).toBe(0);
    const heard = s.page.evaluate(
      () =>
        new Promise<unknown>((resolve) =>
          document.addEventListener("postvej-open-event-log", (e) => resolve({ ...(e as CustomEvent).detail, composed: e.composed }), {
            once: true,
          }),
        ),
    );
    await link.focus();
    await s.page.keyboard.press("Enter");
    expect(await heard).toEqual({ authority: "29189846", recipientSystemId: "rs_failing", composed: true });
  });
});
