// The real stack for the wrangler-dev tests: a sqld on a free loopback port with a fresh database
// folder, and the Worker (apps/api/wrangler.jsonc: cron, Queue producer + consumer, send_email)
// started by wrangler's own local dev server (`unstable_startWorker`, what `wrangler dev --local`
// runs: a proxy Worker in front of the user Worker, both in workerd) on another free port.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const API_DIR = resolve(import.meta.dirname, "../..");
const REPO = resolve(API_DIR, "../..");

// sqld and free ports come from the one place that starts them for every test.
import { freePort } from "../../../../packages/db/test/sqld.ts";
export { freePort, startSqld, type Sqld } from "../../../../packages/db/test/sqld.ts";

/**
 * wrangler must not phone home nor prompt: no metrics, no error reports, no cf-object fetch, no
 * banner (whose update check asks the npm registry), no skills prompt, no user config or dev
 * registry outside `dir`. Set before wrangler is imported; wrangler reads them lazily anyway.
 */
export function offlineWranglerEnv(dir: string): void {
  Object.assign(process.env, {
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_HIDE_BANNER: "true",
    WRANGLER_NO_SKILLS_UPDATE_PROMPTS: "true",
    WRANGLER_CI_DISABLE_CONFIG_WATCHING: "true",
    DO_NOT_TRACK: "1",
    CI: "1",
    WRANGLER_REGISTRY_PATH: join(dir, "registry"),
    // No debug log file (it would outlive `dir`, and land in the user's config folder otherwise).
    WRANGLER_WRITE_LOGS: "false",
    WRANGLER_LOG: process.env.WRANGLER_LOG ?? "warn",
  });
  // The few paths that still ask the registry for the latest version (a compatibility-date
  // fallback, a crash hint) read a cache first: one that says "up to date" keeps them offline.
  const cache = join(tmpdir(), "update-check", "wrangler-latest.json");
  const version = (JSON.parse(readFileSync(resolve(REPO, "node_modules/wrangler/package.json"), "utf8")) as { version: string }).version;
  let fresh = false;
  try {
    const c = JSON.parse(readFileSync(cache, "utf8")) as { lastUpdate: number };
    fresh = existsSync(cache) && c.lastUpdate > Date.now() - 30 * 60_000;
  } catch {
    fresh = false;
  }
  if (!fresh) {
    mkdirSync(join(tmpdir(), "update-check"), { recursive: true });
    writeFileSync(cache, JSON.stringify({ latest: version, lastUpdate: Date.now() }));
  }
}

export type WorkerLog = { level: string; message: string };

export type DevWorker = { url: string; logs: WorkerLog[]; stop(): Promise<void> };

/**
 * The Worker under `wrangler dev --local`, programmatically: the repo's wrangler.jsonc with
 * `vars` overridden, local Queue, `/__scheduled` for the Cron Trigger, state under `dir`, no
 * inspector and no file watching (other work in the tree must not reload it mid-test).
 */
export async function startDevWorker(dir: string, vars: Record<string, string>): Promise<DevWorker> {
  offlineWranglerEnv(dir);
  const { unstable_startWorker } = await import("wrangler");
  const port = await freePort();
  const logs: WorkerLog[] = [];
  const bindings = Object.fromEntries(Object.entries(vars).map(([k, value]) => [k, { type: "plain_text" as const, value }]));
  const worker = await unstable_startWorker({
    config: join(API_DIR, "wrangler.jsonc"),
    bindings,
    dev: {
      remote: false,
      server: { hostname: "127.0.0.1", port },
      inspector: false,
      watch: false,
      liveReload: false,
      testScheduled: true,
      persist: join(dir, "state"),
      structuredLogsHandler: (log: WorkerLog) => void logs.push({ level: log.level, message: log.message }),
    },
  });
  try {
    await Promise.race([
      worker.ready,
      new Promise((_, reject) => setTimeout(() => reject(new Error("wrangler dev did not become ready in 60 s")), 60_000).unref()),
    ]);
    const url = (await worker.url).toString().replace(/\/$/, "");
    return { url, logs, stop: () => worker.dispose() };
  } catch (err) {
    await worker.dispose().catch(() => {});
    throw err;
  }
}

/** Runs each teardown step in turn; one that fails is logged and the others still run. */
export async function tearDown(steps: (() => unknown)[]): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      console.error("teardown:", err);
    }
  }
}

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
