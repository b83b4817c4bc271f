import "../scratch.ts";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../../../packages/db/test/sqld.ts";
import { e2eLine } from "../e2e.ts";
import { bareLimit, fullSamples, postvejEndToEnd, startReceiver, untilReceived, type Receiver } from "../e2e-parts.ts";
import { load } from "../load.ts";
import { cpuMs, fmt } from "../support.ts";

// `npm run bench:peers`: BullMQ 5 + Redis (AOF, fsync every second) end to end, beside the bare
// signed-POST loop and postvej on its embedded file, in one run. Installs Debian's redis-server
// when there is none. Never part of `npm test`.
const N = Number(process.env.BENCH_E2E_N ?? 6000);
const IN_FLIGHT = Number(process.env.BENCH_E2E_IN_FLIGHT ?? 40);

function ensureRedis(): void {
  if (spawnSync("sh", ["-c", "command -v redis-server"]).status === 0) return;
  console.log("redis-server is missing: installing Debian's (apt-get install redis-server)");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const run = (args: string[]) => spawnSync(sudo[0] ?? args[0]!, sudo.length ? args : args.slice(1), { stdio: "inherit" }).status === 0;
  if (
    !run(["apt-get", "install", "-y", "redis-server"]) &&
    !(run(["apt-get", "update"]) && run(["apt-get", "install", "-y", "redis-server"]))
  )
    throw new Error("could not install redis-server");
}

async function startRedis(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "postvej-redis-"));
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--appendonly",
    "yes",
    "--appendfsync",
    "everysec",
    "--save",
    "",
  ];
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((ok, fail) => {
    child.stdout!.on("data", (c: Buffer) => c.toString().includes("Ready to accept connections") && ok());
    child.once("exit", (code) => fail(new Error(`redis-server exited with ${code}`)));
  });
  return { child, port };
}

/** Spawns one side of the peer (bullmq-process.ts) and resolves once it printed `line`; later lines go to `onLine`. */
async function side(
  mode: string,
  env: Record<string, string>,
  line: string,
  onLine: (l: string) => void = () => {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./bullmq-process.ts", import.meta.url)), mode], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((ok) =>
    child.stdout!.on("data", (c: Buffer) => {
      for (const l of c.toString().split("\n").filter(Boolean)) {
        onLine(l);
        if (l.startsWith(line)) ok();
      }
    }),
  );
  return child;
}

async function bullmqEndToEnd(receiver: Receiver, redis: { child: ChildProcess; port: number }) {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  await receiver.setSecret(secret);
  await receiver.reset();
  const env = { REDIS_PORT: String(redis.port), IN_FLIGHT: String(IN_FLIGHT), N: String(N), SECRET: secret, RECEIVER_URL: receiver.url };
  const worker = await side("worker", env, "ready");
  const redisCpu0 = cpuMs(redis.child.pid!);
  const workerCpu0 = cpuMs(worker.pid!);
  let t0 = 0;
  let producerCpu = 0;
  const producer = await side("producer", env, "start", (l) => {
    if (l.startsWith("start ")) t0 = Number(l.slice(6));
  });
  const done = new Promise<void>((ok) =>
    producer.stdout!.on("data", (c: Buffer) => {
      const m = /done ([\d.]+)/.exec(c.toString());
      if (m) ok(void (producerCpu = Number(m[1])));
    }),
  );
  const stats = await untilReceived(receiver, N);
  await done;
  const cpu = cpuMs(redis.child.pid!) - redisCpu0 + (cpuMs(worker.pid!) - workerCpu0) + producerCpu;
  await new Promise((r) => setTimeout(r, 1000));
  const settled = await receiver.stats();
  worker.kill();
  producer.kill();
  return { perSecond: N / ((stats.lastAckAt - t0) / 1000), cpuMsPerMessage: cpu / N, stats: settled };
}

/** BullMQ behind a plain HTTP intake (the `http` side), loaded as postvej is: CPU of the intake, the worker and Redis. */
async function bullmqHttpEndToEnd(receiver: Receiver, redis: { child: ChildProcess; port: number }) {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  await receiver.setSecret(secret);
  await receiver.reset();
  const port = await freePort();
  const env = { REDIS_PORT: String(redis.port), IN_FLIGHT: String(IN_FLIGHT), N: String(N), SECRET: secret, RECEIVER_URL: receiver.url };
  const worker = await side("worker", env, "ready");
  const intake = await side("http", { ...env, PORT: String(port) }, "ready");
  const pids = [redis.child.pid!, worker.pid!, intake.pid!];
  const cpu0 = pids.map(cpuMs);
  const t0 = performance.timeOrigin + performance.now();
  const [, stats] = await Promise.all([
    load(`http://127.0.0.1:${port}/`, { "content-type": "application/xml" }, fullSamples(N), IN_FLIGHT),
    untilReceived(receiver, N),
  ]);
  const cpu = pids.map((p, i) => cpuMs(p) - cpu0[i]!).reduce((a, b) => a + b, 0);
  await new Promise((r) => setTimeout(r, 1000));
  const settled = await receiver.stats();
  worker.kill();
  intake.kill();
  return { perSecond: N / ((stats.lastAckAt - t0) / 1000), cpuMsPerMessage: cpu / N, stats: settled };
}

ensureRedis();
console.log(
  `\n## Peers end to end: BullMQ 5 + Redis (AOF everysec) vs postvej (v1.2-full.xml, ${fmt(N)} messages, ${IN_FLIGHT} in flight)`,
);
const receiver = await startReceiver(await freePort());
const redis = await startRedis();
try {
  const bare = await bareLimit(receiver, N, IN_FLIGHT);
  const bull = await bullmqEndToEnd(receiver, redis);
  console.log(
    `BullMQ + Redis: ${fmt(bull.perSecond)} msg/s end to end; CPU (producer + worker + redis) ${fmt(bull.cpuMsPerMessage, 2)} ms/msg; received ${fmt(bull.stats.unique)}, duplicates ${bull.stats.duplicates}`,
  );
  const overHttp = await bullmqHttpEndToEnd(receiver, redis);
  console.log(
    `BullMQ + Redis behind an HTTP intake (node:http, loaded as postvej is): ${fmt(overHttp.perSecond)} msg/s end to end; CPU (intake + worker + redis) ${fmt(overHttp.cpuMsPerMessage, 2)} ms/msg; received ${fmt(overHttp.stats.unique)}, duplicates ${overHttp.stats.duplicates}`,
  );
  const postvej = await postvejEndToEnd(receiver, fullSamples(N), { port: await freePort(), inFlight: IN_FLIGHT });
  console.log(e2eLine("postvej, embedded libSQL:", postvej));
  console.log(
    `  → postvej at ${fmt(postvej.perSecond / bull.perSecond, 2)} × BullMQ + Redis (${fmt(postvej.perSecond / overHttp.perSecond, 2)} × behind HTTP), ${fmt(postvej.perSecond / bare, 3)} × the bare loop`,
  );
} finally {
  redis.child.kill();
  receiver.stop();
}
