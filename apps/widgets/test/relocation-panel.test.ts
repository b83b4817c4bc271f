import { describe, expect, test } from "vitest";
import type { RelocationRequest } from "../src/shared/api-types.ts";
import { fixturePages } from "./fixture-page.ts";

const s = fixturePages();

async function open(query: string, virk = 120): Promise<void> {
  await s.open(`panels=relocation&${query}`, { virk });
  await panel().locator("table.messages tbody tr").first().waitFor();
}

const panel = () => s.page.locator("postvej-relocation-panel");
const relocationPosts = () =>
  s.fixture.state.log.filter((r) => r.method === "POST" && r.url.endsWith("/relocations")).map((r) => r.body as RelocationRequest);

describe("<postvej-relocation-panel>", () => {
  test("pages through 10,000 messages without rendering more than one page", async () => {
    await open("lang=da&pageSize=50", 10_000);
    expect(await panel().locator("table.messages tbody tr").count()).toBe(50);
    expect(await panel().locator(".total").textContent()).toBe("10.000 meddelelser i alt");
    expect(await panel().locator(".page-info").textContent()).toBe("Viser 1–50 af 10.000");
    await panel().getByRole("button", { name: "Næste" }).click();
    await panel().locator(".page-info", { hasText: "Viser 51–100" }).waitFor();
    expect(await panel().locator("table.messages tbody tr").count()).toBe(50);
    expect(await panel().locator("table.messages tbody tr").first().locator(".label").textContent()).toBe("Brev 51");
    await panel().getByRole("button", { name: "Forrige" }).click();
    await panel().locator(".page-info", { hasText: "Viser 1–50" }).waitFor();
    // Every mailbox request asked for one page only.
    const listCalls = s.fixture.state.log.filter((r) => r.url.includes("/virk/messages"));
    expect(listCalls.every((r) => r.url.includes("limit=50"))).toBe(true);
    expect(s.errors).toEqual([]);
  });

  test("offers only valid targets and says why the others are not offered", async () => {
    await open("lang=da");
    const radios = panel().getByRole("radio");
    expect(await radios.count()).toBe(2);
    expect(await panel().getByRole("radio", { name: "Borgerservice – Sag og Dokument" }).count()).toBe(1);
    expect(
      await panel()
        .getByRole("radio", { name: /Intern revision/ })
        .count(),
    ).toBe(0);
    await panel().locator("details.not-offered summary").click();
    const reasons = await panel().locator("details.not-offered").innerText();
    // A contact point and its system side by side, never one name in the other's brackets.
    expect(reasons).toContain("Intern revision – Sag og Dokument: kontaktpunktet er ikke synligt");
    expect(reasons).toContain("Arkivet – Gammelt arkiv: modtagersystemet er deaktiveret");
    expect(await panel().locator("details.not-offered summary").textContent()).toBe("Kan ikke vælges (2)");
  });

  test("select all matching sends the filter, not thousands of UUIDs; preview, confirm, progress and history", async () => {
    await open("lang=en&pageSize=25", 10_000);
    s.fixture.state.batch = 1500;
    await panel().getByLabel("Original contact point", { exact: true }).selectOption({ label: "Byggeri" });
    await panel().getByRole("button", { name: "Filter", exact: true }).click();
    await panel().locator(".total", { hasText: "5,000 messages in total" }).waitFor();
    await panel().getByRole("button", { name: "Select all 5,000 that match the filters" }).click();
    expect(await panel().locator(".selected-count").textContent()).toContain("All 5,000 messages that match the filters are selected.");
    await panel().getByRole("radio", { name: "Borgerservice – Sag og Dokument" }).check();
    await panel()
      .getByRole("switch", { name: /Prefer the original/ })
      .uncheck();
    await panel().getByRole("button", { name: "Show what would happen (dry run)" }).click();
    await panel().locator(".plan").waitFor();
    expect(await panel().locator(".plan").innerText()).toContain("5,000 messages to Borgerservice – Sag og Dokument");

    await panel().getByRole("button", { name: "Move post" }).click();
    const dialog = panel().getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.locator(".confirm-text").textContent()).toBe("Move 5,000 messages out of Virk to Borgerservice?");
    await dialog.getByRole("button", { name: "Yes, move the post" }).click();
    await panel().locator(".progress h4", { hasText: "finished" }).waitFor();
    expect(await panel().locator(".progress-text").textContent()).toBe("5,000 of 5,000 moved, 0 skipped");

    const posts = relocationPosts();
    expect(posts.map((p) => p.dryRun)).toEqual([true, true, false]);
    const real = posts[2];
    expect(real?.selection).toEqual({ originalContactPointId: "7a1e7c2e-0b7e-4c55-9d1e-3f0f1f5a0002" });
    expect(real?.selection.messageUUIDs).toBeUndefined();
    expect(real?.targetContactPointId).toBe("7a1e7c2e-0b7e-4c55-9d1e-3f0f1f5a0001");
    expect(real?.preferOriginal).toBe(false);

    // The mailbox reloads, the history shows the move, and its items can be opened.
    await panel().locator(".history-entry").first().waitFor();
    const entry = panel().locator(".history-entry").first();
    expect(await entry.locator(".target-name").textContent()).toBe("Borgerservice");
    expect(await entry.locator(".counts").textContent()).toBe("5000 / 0 / 5000");
    expect(await entry.locator(".actor").textContent()).toBe("Test Bruger");
    await entry.getByRole("button", { name: "Show messages (5,000)" }).click();
    await entry.locator("table.items-table tbody tr").first().waitFor();
    expect(await entry.locator("table.items-table tbody tr").count()).toBe(50);
    expect(await entry.locator("table.items-table tbody tr .to").first().textContent()).toBe("Borgerservice");
    await entry.getByRole("button", { name: "Load more" }).click();
    await entry.locator("table.items-table tbody tr").nth(99).waitFor();
    expect(s.fixture.state.virk.length).toBe(5000);
    // The filter still asks for post originally for Byggeri, and all of it has moved.
    await panel().locator(".empty", { hasText: "No post in the Virk mailbox matches the filters." }).waitFor();
    await panel().getByRole("button", { name: "Reset" }).click();
    await panel().locator(".total", { hasText: "5,000 messages in total" }).waitFor();
  });

  test("moves chosen rows by UUID, preferring the original contact point", async () => {
    await open("lang=da");
    s.fixture.state.batch = 1;
    await panel().getByRole("checkbox", { name: "Vælg Brev 1", exact: true }).check();
    await panel().getByRole("checkbox", { name: "Vælg Brev 2", exact: true }).check();
    expect(await panel().locator(".selected-count").textContent()).toContain("2 meddelelser valgt");
    await panel()
      .getByRole("radio", { name: /Borgerservice/ })
      .check();
    await panel().getByRole("button", { name: "Flyt post" }).click();
    const dialog = panel().getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.locator(".confirm-text").textContent()).toBe("Flyt 2 meddelelser fra Virk til Borgerservice?");
    // With "helst oprindeligt kontaktpunkt" on, the dialog says that the target is only the fallback.
    expect(await dialog.locator(".confirm-prefer").textContent()).toBe(
      "Hver meddelelse går til sit oprindelige kontaktpunkt, når det kan modtage post, og ellers til Borgerservice.",
    );
    expect(await dialog.innerText()).toContain("1 meddelelse til Byggeri – Byggesag Nord");
    await dialog.getByRole("button", { name: "Ja, flyt posten" }).click();
    await panel().locator(".progress h4", { hasText: "færdig" }).waitFor();
    const real = relocationPosts().at(-1);
    expect(real?.selection.messageUUIDs).toHaveLength(2);
    expect(real?.preferOriginal).toBe(true);
    const entry = panel().locator(".history-entry").first();
    await entry.getByRole("button", { name: /Vis meddelelser/ }).click();
    await entry.locator("table.items-table tbody tr").nth(1).waitFor();
    const to = await entry.locator("table.items-table .to").allTextContents();
    expect(to.sort()).toEqual(["Borgerservice", "Byggeri"]);
    // The sender as the mailbox shows it: its label with the CVR, or the bare CVR when it has no label.
    const sender = (label: string) => entry.locator("table.items-table tbody tr", { hasText: label }).locator(".sender").innerText();
    expect(await sender("Brev 1")).toBe("Skattestyrelsen (12345674)");
    expect(await sender("Brev 2")).toBe("87654321");
  });

  test("a running move can be stopped", async () => {
    await open("lang=en", 500);
    s.fixture.state.batch = 1;
    await s.page.evaluate(() => {
      const p = document.querySelector("postvej-relocation-panel");
      if (p) p.pollInterval = 400;
    });
    await panel()
      .getByRole("button", { name: /Select all 500/ })
      .click();
    await panel()
      .getByRole("radio", { name: /Borgerservice/ })
      .check();
    await panel().getByRole("button", { name: "Move post" }).click();
    await panel().getByRole("dialog").getByRole("button", { name: "Yes, move the post" }).click();
    await panel().getByRole("button", { name: "Stop the move" }).click();
    await panel().locator(".progress h4", { hasText: "stopped" }).waitFor();
    expect(s.fixture.state.log.some((r) => r.method === "POST" && r.url.endsWith("/stop"))).toBe(true);
    expect(s.fixture.state.virk.length).toBeGreaterThan(400);
    await panel().locator(".history-entry .state", { hasText: "stopped" }).waitFor();
    // Each message left behind says why, in words, not as the API's code.
    const entry = panel().locator(".history-entry").first();
    await entry.locator("button.toggle-items").click();
    await entry.locator("table.items-table tbody tr").first().waitFor();
    const outcomes = await entry.locator("table.items-table .outcome").allTextContents();
    expect(outcomes).toContain("skipped: the move was stopped before the message's turn");
    expect(outcomes.join(" ")).not.toMatch(/\bstopped\)|_/);
  });

  test("asks for a selection and a target before moving, and a view-only token sees no move controls", async () => {
    await open("lang=en");
    await panel().getByRole("button", { name: "Move post" }).click();
    expect(await panel().getByRole("alert").textContent()).toBe("First select the messages you want to move.");
    await panel().getByRole("checkbox", { name: "Select all on this page" }).check();
    expect(await panel().locator(".selected-count").textContent()).toContain("25 messages selected");
    await panel().getByRole("button", { name: "Move post" }).click();
    expect(await panel().getByRole("alert").textContent()).toBe("First choose where to move the post.");
    expect(relocationPosts()).toEqual([]);
    await s.page.close();
    await s.fixture.close();
    await open("lang=en&caps=view");
    expect(await panel().getByRole("button", { name: "Move post" }).count()).toBe(0);
    expect(await panel().getByRole("checkbox").count()).toBe(0);
    expect(await panel().locator("h3#history-title").count()).toBe(1);
  });
});
