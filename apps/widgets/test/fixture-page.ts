import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { launchBrowser, watchErrors } from "./browser.ts";
import { startFixture, type Fixture } from "./fixture-server.ts";

/** One Chromium for a test file and, per test, a fixture server and a page on it (with its errors collected). */
export interface FixturePages {
  browser: Browser;
  fixture: Fixture;
  page: Page;
  /** Page errors and console errors of the current page (see `watchErrors`). */
  errors: string[];
  /** Starts a fixture server (then `prepare` on its state), opens a new page and goes to its `/page.html?<query>`. */
  open(query: string, opts?: { virk?: number; prepare?: (fixture: Fixture) => void }): Promise<void>;
}

/**
 * Registers the hooks of a widget test file against the fixture server: Chromium launched before all
 * tests and closed after; each test's page and fixture server closed after it. Read them from the result.
 */
export function fixturePages(): FixturePages {
  const s = {} as FixturePages;
  beforeAll(async () => {
    s.browser = await launchBrowser();
  });
  afterAll(async () => {
    await s.browser.close();
  });
  afterEach(async () => {
    await s.page.close();
    await s.fixture.close();
  });
  s.open = async (query, opts = {}) => {
    s.fixture = await startFixture(opts.virk === undefined ? {} : { virk: opts.virk });
    opts.prepare?.(s.fixture);
    s.page = await s.browser.newPage();
    s.errors = watchErrors(s.page);
    await s.page.goto(`${s.fixture.origin}/page.html?${query}`);
  };
  return s;
}
