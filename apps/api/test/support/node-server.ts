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

/**
 * Over a running server's HTTP API, as an operator and an administrator would: an authority, an
 * admin key and a sender key of it, and one push system to `endpoint` (its primary, on MeMo 1.2).
 */
export async function seedPushAuthority(base: string, operator: string, cvr: string, endpoint: string) {
  const created = async (method: string, path: string, token: string, body: unknown) => {
    const r = await callServer(base, method, path, token, body);
    if (r.status !== 201) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.json)}`);
    return r.json as Record<string, unknown>;
  };
  await created("POST", "/v1/authorities", operator, { cvr, name: `Myndighed ${cvr}` });
  const admin = (await created("POST", `/v1/authorities/${cvr}/api-keys`, operator, { role: "admin", label: "a" })).key as string;
  const sender = (await created("POST", `/v1/authorities/${cvr}/api-keys`, operator, { role: "sender", label: "s" })).key as string;
  const system = await created("POST", `/v1/authorities/${cvr}/recipient-systems`, admin, {
    name: "Sag",
    protocol: "REST_PUSH",
    endpoint,
    memoVersion: "1.2",
    technicalContact: { name: "T", email: "t@example.dk" },
    businessContactEmail: "b@example.dk",
  });
  return { admin, sender, systemId: system.id as string };
}
