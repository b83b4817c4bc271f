import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { startFixture, type Fixture } from "./fixture-server.ts";

interface Decl {
  tagName: string;
  attributes: { name: string }[];
  events: { name: string }[];
  cssParts: { name: string }[];
  cssProperties: { name: string }[];
}

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "dist/custom-elements.json"), "utf8")) as {
  modules: { path: string; declarations: Decl[] }[];
};
const decl = (tag: string) => {
  const d = manifest.modules.flatMap((m) => m.declarations).find((x) => x.tagName === tag);
  if (!d) throw new Error(`no ${tag} in the manifest`);
  return d;
};
const source = (dir: string) =>
  readdirSync(join(root, "src", dir))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(root, "src", dir, f), "utf8"))
    .join("\n");
const names = (list: { name: string }[]) => list.map((x) => x.name).sort();
const uniq = (xs: string[]) => [...new Set(xs)].sort();
const partsIn = (text: string) => uniq([...text.matchAll(/part="([^"$]+)"/g)].flatMap((m) => (m[1] ?? "").split(" ")));
const eventsIn = (text: string) => uniq([...text.matchAll(/emit\("(postvej-[a-z-]+)"/g)].map((m) => m[1] ?? ""));

let browser: Browser;
let fixture: Fixture;
beforeAll(async () => {
  browser = await launchBrowser();
  fixture = await startFixture();
});
afterAll(async () => {
  await fixture.close();
  await browser.close();
});

describe("custom-elements.json (as shipped in dist) matches the elements", () => {
  test.each([
    ["postvej-status-panel", "status-panel"],
    ["postvej-relocation-panel", "relocation-panel"],
    ["postvej-event-log", "event-log"],
  ])("%s", async (tag, dir) => {
    const d = decl(tag);
    const page = await browser.newPage();
    await page.goto(`${fixture.origin}/page.html?panels=none`);
    await page.waitForFunction((t) => customElements.get(t) !== undefined, tag);
    const observed = await page.evaluate(
      (t) => [...((customElements.get(t) as unknown as { observedAttributes: string[] }).observedAttributes ?? [])].sort(),
      tag,
    );
    await page.close();
    expect(names(d.attributes)).toEqual(observed);

    const shared = source("shared");
    const own = source(dir);
    expect(names(d.cssParts)).toEqual(partsIn(own + shared));
    expect(names(d.cssProperties)).toEqual(uniq([...shared.matchAll(/(--postvej-[a-z-]+)/g)].map((m) => m[1] ?? "")));
    const emitted = uniq([...eventsIn(own), "postvej-token-expiring", "postvej-error"]);
    expect(names(d.events)).toEqual(emitted);
    // Every event is typed for addEventListener.
    const typed = uniq(
      [...readFileSync(join(root, "src/shared/events.ts"), "utf8").matchAll(/"(postvej-[a-z-]+)": CustomEvent/g)].map((m) => m[1] ?? ""),
    );
    for (const e of emitted) expect(typed).toContain(e);
  });
});
