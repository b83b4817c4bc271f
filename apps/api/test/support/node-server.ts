import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../../../../packages/db/test/sqld.ts";
import { readReply } from "./reply.ts";

const apiDir = fileURLToPath(new URL("../..", import.meta.url));

export type NodeServer = { child: ChildProcess; base: string; port: number; output(): string };

/**
 * The Node server as `npm run serve` runs it (from source, MeMo read on the main thread), with
 * `env` on top of this process's environment; resolves once /healthz answers.
 */
export async function startNodeServer(env: Record<string, string>, port?: number): Promise<NodeServer> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, ["src/node/main.ts"], {
    cwd: apiDir,
    env: { ...process.env, POSTVEJ_PARSE_THREADS: "0", ...env, PORT: String(p) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${p}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, base, port: p, output: () => output };
    if (i > 600) throw new Error(`the server did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops a server (SIGKILL by default) and waits for it to exit. */
export async function stopNodeServer(s: NodeServer | undefined, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  const exited = new Promise((ok) => s.child.once("exit", ok));
  s.child.kill(signal);
  await exited;
}

/** JSON (or XML) over HTTP with a bearer token; answers status and parsed JSON. */
export async function callServer(base: string, method: string, path: string, token: string, body?: unknown, type = "application/json") {
  const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  return readReply(
    await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": type },
      ...(payload !== undefined ? { body: payload } : {}),
    }),
  );
}

/** Polls `check` every 20 ms until it holds, failing after `ms` (real work in flight, not domain time). */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
