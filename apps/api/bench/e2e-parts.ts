import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { load } from "./load.ts";
import { CVR, OPERATOR, call, cpuMs, fmt, rssMb, startServer } from "./support.ts";
import { memoFor } from "../test/support/memo-fixtures.ts";

/** What the end-to-end benchmark's receiver has seen (bench/e2e-receiver.ts). */
export type ReceiverStats = { unique: number; duplicates: number; badSignatures: number; lastAckAt: number };

/** The receiver process on `port`: its address, its counts, and a way to stop it. */
export async function startReceiver(port: number) {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./e2e-receiver.ts", import.meta.url))], {
    env: { ...process.env, PORT: String(port) },
    stdio: "inherit",
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`${base}/stats`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url: `${base}/in`,
    setSecret: (secret: string) => fetch(`${base}/secret`, { method: "PUT", body: secret }).then((r) => void r.arrayBuffer()),
    reset: () => fetch(`${base}/reset`, { method: "POST" }).then((r) => void r.arrayBuffer()),
    stats: (): Promise<ReceiverStats> => fetch(`${base}/stats`).then((r) => r.json() as Promise<ReceiverStats>),
    stop: () => void child.kill(),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Polls the receiver until it has acknowledged `n` unique messages; resolves with its stats. */
export async function untilReceived(receiver: Receiver, n: number, timeoutMs = 300_000): Promise<ReceiverStats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await receiver.stats();
    if (s.unique >= n || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The limit: a bare loop of `n` signed POSTs (node:crypto HMAC, keep-alive) with `inFlight` at once. */
export async function bareSignedLoop(receiver: Receiver, bodies: Buffer[], inFlight: number): Promise<number> {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  await receiver.setSecret(secret);
  await receiver.reset();
  const target = signedPostTarget(receiver.url, secret, inFlight);
  let next = 0;
  const t0 = performance.timeOrigin + performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < bodies.length) {
        await signedPost(target, crypto.randomUUID(), bodies[next++]!);
      }
    }),
  );
  const s = await receiver.stats();
  target.agent.destroy();
  if (s.unique !== bodies.length || s.duplicates || s.badSignatures) throw new Error(`bare loop: ${JSON.stringify(s)}`);
  return bodies.length / ((s.lastAckAt - t0) / 1000);
}

/** The bare loop over `n` copies of v1.2-full.xml, printed as the run's limit; its msg/s. */
export async function bareLimit(receiver: Receiver, n: number, inFlight: number): Promise<number> {
  const bare = await bareSignedLoop(
    receiver,
    fullSamples(n).map((b) => Buffer.from(b)),
    inFlight,
  );
  console.log(`bare signed-POST loop (node:crypto HMAC), the limit: ${fmt(bare)} msg/s`);
  return bare;
}

/** `n` copies of v1.2-full.xml to `cvr`, each with a fresh messageUUID. */
export function fullSamples(n: number, cvr = CVR): string[] {
  return Array.from({ length: n }, () => memoFor(cvr, { name: "v1.2-full" }).xml);
}

/** Figures of one end-to-end run of postvej. */
export type E2eFigures = {
  perSecond: number;
  intakePerSecond: number;
  intakeP99: number;
  cpuMsPerMessage: number;
  /** CPU per message of the database server (sqld) over the same span, when its pid was given. */
  dbCpuMsPerMessage?: number;
  rssPeakMb: number;
  stats: ReceiverStats;
  statuses: Record<string, number>;
};

/**
 * Starts the built server (`env` on top of a fresh database file), seeds an authority and one push
 * system at the receiver, posts `bodies` with `inFlight` connections, and times from the first
 * request to the receiver's last acknowledgement of the last message; then waits `settleMs` more
 * to count any late duplicate. With `dbPid`, the database server's CPU over the same span too.
 */
export async function postvejEndToEnd(
  receiver: Receiver,
  bodies: string[],
  o: {
    port: number;
    inFlight: number;
    env?: Record<string, string>;
    settleMs?: number;
    onServer?: (child: ChildProcess) => void;
    dbPid?: number;
  },
): Promise<E2eFigures> {
  const { child, base } = await startServer(o.port, o.env);
  o.onServer?.(child);
  try {
    await call(base, "POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "Bench" });
    const admin = (await call(base, "POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "admin", label: "a" })).key;
    const sender = (await call(base, "POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "sender", label: "s" })).key;
    const system = await call(base, "POST", `/v1/authorities/${CVR}/recipient-systems`, admin, {
      name: "push",
      protocol: "REST_PUSH",
      endpoint: receiver.url,
      memoVersion: "1.2",
      technicalContact: { name: "t", email: "t@example.dk" },
      businessContactEmail: "b@example.dk",
    });
    await receiver.setSecret(system.signingSecret);
    await receiver.reset();
    const headers = { authorization: `Bearer ${sender}`, "content-type": "application/xml" };
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 100);
    const cpu0 = cpuMs(child.pid!);
    const db0 = o.dbPid === undefined ? 0 : cpuMs(o.dbPid);
    const t0 = performance.timeOrigin + performance.now();
    const [intake, stats] = await Promise.all([
      load(`${base}/v1/messages`, headers, bodies, o.inFlight),
      untilReceived(receiver, bodies.length),
    ]);
    const cpu = cpuMs(child.pid!) - cpu0;
    const dbCpu = o.dbPid === undefined ? undefined : cpuMs(o.dbPid) - db0;
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, o.settleMs ?? 1000));
    const settled = await receiver.stats();
    return {
      perSecond: bodies.length / ((stats.lastAckAt - t0) / 1000),
      intakePerSecond: intake.perSecond,
      intakeP99: intake.p99,
      cpuMsPerMessage: cpu / bodies.length,
      ...(dbCpu === undefined ? {} : { dbCpuMsPerMessage: dbCpu / bodies.length }),
      rssPeakMb: peak,
      stats: settled,
      statuses: intake.statuses,
    };
  } finally {
    child.kill();
  }
}

/** Where `signedPost` sends: the receiver's address, the secret's key bytes and a keep-alive agent for `inFlight` sockets. */
export type SignedPostTarget = { agent: Agent; hostname: string; port: string; pathname: string; key: Buffer };

/** A signed-POST target for `url` with the `whsec_…` secret. */
export function signedPostTarget(url: string, secret: string, inFlight: number): SignedPostTarget {
  const { hostname, port, pathname } = new URL(url);
  return {
    agent: new Agent({ keepAlive: true, maxSockets: inFlight }),
    hostname,
    port,
    pathname,
    key: Buffer.from(secret.replace(/^whsec_/, ""), "base64"),
  };
}

/** One Standard-Webhooks-signed POST (node:crypto HMAC), the way the baselines push; rejects unless the receiver answers 204. */
export function signedPost(t: SignedPostTarget, id: string, body: Buffer): Promise<void> {
  const ts = Math.floor(Date.now() / 1000);
  const sig = createHmac("sha256", t.key).update(`${id}.${ts}.`).update(body).digest("base64");
  return new Promise<void>((resolve, reject) => {
    const req = request({ agent: t.agent, hostname: t.hostname, port: t.port, path: t.pathname, method: "POST" }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 204 ? resolve() : reject(new Error(`receiver said ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.setHeader("content-type", "application/xml");
    req.setHeader("webhook-id", id);
    req.setHeader("webhook-timestamp", String(ts));
    req.setHeader("webhook-signature", `v1,${sig}`);
    req.end(body);
  });
}
