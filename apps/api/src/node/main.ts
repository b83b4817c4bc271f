import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { serve } from "@hono/node-server";
import { shutdownGraceMs } from "@postvej/core/delivery";
import { RECEIPT_PUSH_TIMEOUT_MS } from "@postvej/core/lifecycle";
import { checkpointDatabase } from "@postvej/db/node";
import { buildApp } from "../app.ts";
import { deliveryPump, receiptPump } from "../jobs/delivery-pump.ts";
import { runJobs } from "../jobs/run-jobs.ts";
import { databaseUrl, readConfig, readServerConfig } from "../config.ts";
import { claimLeaseMs } from "../delivery/deliver-due.ts";
import { startDemoReceiver } from "./demo-receiver.ts";
import { gracefulClose } from "./graceful-close.ts";
import { createNodeRuntime } from "./node-runtime.ts";
import { defaultParseThreads, startMemoPool } from "./memo-pool.ts";
import { startScheduler } from "./scheduler.ts";
import { startLines } from "./start-lines.ts";
import { seedDemo } from "./seed-demo.ts";

// The local default: `npm start` passes --demo (seeded authority, demo receiver, simulated clock).
const demo = process.argv.includes("--demo");
// Without POSTVEJ_OPERATOR_TOKEN this one is used, and printed below.
const fallbackToken = `op_${randomBytes(24).toString("base64url")}`;
/** Stops the start with one line saying what is wrong (a setting, the database, the port), no stack trace. */
function refuseToStart(what: string, err: unknown): never {
  console.error(`postvej: ${what}${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const settings = (() => {
  try {
    return {
      config: readConfig(process.env, {
        runtime: "node",
        operatorToken: fallbackToken,
        ...(demo ? { clock: "simulated" } : {}),
      }),
      serverConfig: readServerConfig(process.env, process.cwd()),
    };
  } catch (err) {
    return refuseToStart("", err);
  }
})();
const { config, serverConfig } = settings;
const generatedToken = config.operatorToken === fallbackToken;

const runtime = await createNodeRuntime(config, serverConfig.baseDir).catch((err: unknown) =>
  refuseToStart(`cannot open the database ${databaseUrl(config).split("?")[0]} (LIBSQL_URL): `, err),
);
runtime.deliveryLimits = serverConfig.delivery;
// `--max-semi-space-size` (the start and serve scripts) sizes this thread's young generation, and V8
// would read it again for each parse thread, over the young generation memo-pool.ts gives them (16 MB
// each instead of 4). This heap has its size now: unset, the threads get theirs.
setFlagsFromString("--max-semi-space-size=0");
// MeMo validation on worker threads beside the main thread, when the machine has cores to spare.
const parseThreads = serverConfig.parseThreads ?? defaultParseThreads();
const memoPool = parseThreads > 0 ? startMemoPool(parseThreads) : null;
if (memoPool) runtime.checkMemo = memoPool.check;
// In-process the run simply goes on; nothing needs its promise (and asking Hono for an execution
// context that Node does not have would cost a thrown error per request).
// Receipts to senders follow each delivery run that made outcomes, and the requests that make one.
const receipts = receiptPump(runtime);
runtime.kickReceipts = () => void receipts();
const pump = deliveryPump(runtime, runtime.kickReceipts);
runtime.kickDeliveries = (systemId) => void pump(systemId);
const { port, host } = serverConfig;

let seeded: Awaited<ReturnType<typeof seedDemo>> | undefined;
if (demo) {
  const receiver = await startDemoReceiver(serverConfig.demoReceiverPort);
  seeded = await seedDemo(runtime.db, receiver, await runtime.clock.now(), config.secretKey);
  const keyOf = new Map(seeded.systems.map((s) => [s.id, s.key]));
  runtime.demo = {
    authority: seeded.authority,
    adminKeyId: seeded.adminKeyId,
    senderKeyId: seeded.senderKeyId,
    systems: seeded.systems.map(({ id, name }) => ({ id, name })),
    setUp: (id, up) => {
      const key = keyOf.get(id);
      if (!key) return false;
      receiver.setUp(key, up);
      return true;
    },
    isUp: (id) => {
      const key = keyOf.get(id);
      return key === undefined ? undefined : receiver.isUp(key);
    },
  };
}

const widgetsDir = fileURLToPath(new URL("../../../widgets/", import.meta.url));
// The widget bundle is served in production too (routes/widget-assets.ts); the demo page only with --demo.
runtime.widgetAsset = (name) =>
  readFile(resolve(widgetsDir, "dist", name)).then(
    (b) => new Uint8Array(b),
    () => null,
  );
const app = buildApp(runtime, {
  readAsset: (path) =>
    readFile(resolve(widgetsDir, path)).then(
      (b) => new Uint8Array(b),
      () => null,
    ),
});
// The scheduler starts once the port is ours: a second server on a taken port stops before any job runs.
let scheduler: ReturnType<typeof startScheduler> | undefined;
const server = serve({ fetch: app.fetch, port, hostname: host }, (address) => {
  // Each tick runs one delivery batch; the pump takes whatever more is due (a backlog after a
  // restart drains at once, not one batch a minute), and once more when a crashed run's claims lapse.
  scheduler = startScheduler({
    clock: runtime.clock,
    runJobs: (now, stopping) => runJobs(runtime, now, stopping).finally(() => void pump()),
  });
  setTimeout(() => void pump(), claimLeaseMs(runtime) + 1_000).unref();
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  console.log(startLines({ base, host, config: runtime.config, generatedToken, seeded }).join("\n"));
});
server.once("error", (err) => refuseToStart(`cannot listen on ${host}:${port} (PORT, HOST): `, err));

// Stop taking requests, answer the ones in flight (their messages committed, every answer with
// `Connection: close`; see graceful-close.ts), let the delivery and receipt runs in flight record
// the outcomes of the pushes they started (no new push or run starts), for up to the grace (the
// push timeout and 5 s, at least 10 s), then close the database cleanly (a clean close checkpoints
// the WAL). A second signal stops at once; nothing unanswered was acknowledged, and claims left
// behind lapse and are retried.
const embeddedDatabase = databaseUrl(config).startsWith("file:");
const graceMs = shutdownGraceMs(config.pushTimeoutMs, RECEIPT_PUSH_TIMEOUT_MS);
const closing = gracefulClose(server as Server);
let stopping = false;
const shutdown = () => {
  if (stopping) process.exit(1);
  stopping = true;
  const drained = Promise.all([closing.close(), scheduler?.stop(), pump.stop(), receipts.stop()]);
  const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
  void Promise.race([drained, grace])
    .then(() => memoPool?.close())
    .then(() => (embeddedDatabase ? checkpointDatabase(runtime.db) : undefined))
    .then(() => runtime.db.destroy())
    .then(
      () => process.exit(0),
      (err: unknown) => {
        console.error("postvej: shutdown failed", err);
        process.exit(1);
      },
    );
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
