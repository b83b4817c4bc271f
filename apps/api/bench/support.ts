import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const OPERATOR = "bench-operator-token-0123456789";
export const CVR = "29189846";

/** Starts the real Node entry on a free-ish port with a fresh database; resolves when healthy. */
export async function startServer(
  port: number,
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; base: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "postvej-bench-"));
  // The server as shipped: the build `npm run bench` makes first (scripts/build-node.ts).
  // BENCH_SERVER_ENTRY: another build of it (say, of an earlier commit) to compare with in one run.
  const entry = process.env.BENCH_SERVER_ENTRY ?? fileURLToPath(new URL("../dist/node/main.js", import.meta.url));
  // The heap settings of the start and serve scripts in package.json: the server as shipped.
  const flags = (process.env.BENCH_SERVER_FLAGS ?? "--max-old-space-size=128 --max-semi-space-size=8 --v8-pool-size=1")
    .split(" ")
    .filter(Boolean);
  const child = spawn(process.execPath, [...flags, entry], {
    env: {
      ...process.env,
      PORT: String(port),
      LIBSQL_URL: `file:${join(dir, "bench.db")}`,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_MAIL_URL: `file:${join(dir, "mail")}`,
      ...extraEnv,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { child, base, dir };
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("server did not start");
}

/** JSON call with a bearer token; throws unless the status matches. */
export async function call(base: string, method: string, path: string, token: string, body?: unknown, status = 201): Promise<any> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Resident memory of a process in MB (from /proc). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time a process has used so far, user and system, in ms (from /proc; 100 ticks a second). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The p-th percentile of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
