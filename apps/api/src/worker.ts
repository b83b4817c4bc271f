// The Cloudflare Workers entry. Nothing Node-only may be imported from here (node/*,
// mail/mail-config.ts, mail/smtp-transport.ts, mail/file-transport.ts).
import { type Database, migrateToLatest } from "@postvej/db";
import { openWebDatabase } from "@postvej/db/web";
import type { Kysely } from "kysely";
import { buildApp } from "./app.ts";
import { simulatedClock, systemClock } from "./clock.ts";
import { databaseUrl, readConfig, type AppConfig } from "./config.ts";
import { DEFAULT_DELIVERY_LIMITS, claimLeaseMs, deliverClaimed } from "./delivery/deliver-due.ts";
import { runDeliveries, runJobs } from "./jobs/run-jobs.ts";
import type { MailTransport } from "./mail/transport.ts";
import { createWorkersTransport } from "./mail/workers-transport.ts";
import { createRuntime, type Runtime } from "./runtime.ts";
import { sealStoredSecrets } from "./services/signing-secrets.ts";
import { type DeliveryBatch, dispatchToQueue, stillClaimed } from "./worker-deliveries.ts";

/**
 * The Worker's bindings as `wrangler types` generates them from wrangler.jsonc (vars, required
 * secrets, the Queue producer, `send_email`, the widgets' static assets; worker-configuration.d.ts,
 * `npm run types:worker`).
 * Without the `send_email` binding e-mail waits in the outbox. The optional settings
 * (LIBSQL_AUTH_TOKEN, POSTVEJ_CLOCK, POSTVEJ_PORTAL_URL, …) are read by config.ts from the env's strings.
 */
export type Env = Omit<Cloudflare.Env, "MAIL"> & { MAIL?: Cloudflare.Env["MAIL"] };

/** The string variables of `env` (bindings left out), as `readConfig` wants them. */
function vars(env: Env): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === "string") out[k] = v;
  return out;
}

// One database client per isolate and URL, migrated once. Only finished work is kept for later
// requests, never a promise in progress: a request must not wait on I/O another request started
// (workerd cancels it as hung, and a request cancelled mid-migration would leave its promise
// pending for the isolate's life). Concurrent first requests each migrate; the migration lock
// (packages/db/src/migration-lock.ts) lets one work and the others find the schema current.
const databases = new Map<string, Kysely<Database>>();

async function database(config: AppConfig): Promise<Kysely<Database>> {
  const url = databaseUrl(config);
  const { authToken, requestTimeoutMs } = config.database;
  const key = `${url}\n${authToken ?? ""}`;
  const ready = databases.get(key);
  if (ready) return ready;
  const db = openWebDatabase(url, authToken, { requestTimeoutMs });
  // A failed migration throws to this request; the next one tries again.
  await migrateToLatest(db);
  if (!databases.has(key)) databases.set(key, db);
  return databases.get(key)!;
}

/** The widgets' build output through the static-assets binding (wrangler.jsonc `assets`): a file's bytes, or null. */
function assetReader(assets: Fetcher): (name: string) => Promise<Uint8Array | null> {
  return async (name) => {
    const r = await assets.fetch(new URL(name, "https://assets.invalid/"));
    if (r.ok) return new Uint8Array(await r.arrayBuffer());
    await r.body?.cancel();
    return null;
  };
}

/** Without a `send_email` binding nothing is sent: every row stays in the outbox, retried later (said once per runtime). */
function noMailTransport(): MailTransport {
  let warned = false;
  return {
    async send() {
      if (!warned) {
        warned = true;
        console.warn("postvej: no MAIL (send_email) binding; e-mail stays in the outbox unsent");
      }
      throw new Error("no MAIL binding: kept in the outbox");
    },
  };
}

// The runtime of an env object: built once per isolate (Workers hands every invocation the same
// env), kept once built (like the database above, no shared promise in progress).
const runtimes = new WeakMap<Env, Runtime>();

/** The runtime for `env`, with deliveries fanned out through `env.DELIVERIES`. */
export async function depsFor(env: Env): Promise<Runtime> {
  const ready = runtimes.get(env);
  if (ready) return ready;
  const runtime = await buildRuntime(env);
  if (!runtimes.has(env)) runtimes.set(env, runtime);
  return runtimes.get(env)!;
}

async function buildRuntime(env: Env): Promise<Runtime> {
  const config = readConfig(vars(env), { production: true, runtime: "workers" });
  const db = await database(config);
  // With POSTVEJ_SECRET_KEY set, no signing secret stays in clear from before it was (a read per isolate when none is left).
  await sealStoredSecrets(db, config.secretKey);
  const clock = config.simulatedClock ? simulatedClock(db) : systemClock;
  const binding = env.MAIL;
  // The binding resolves to a send result postvej does not need; the transport wants `void`.
  const mail = binding ? createWorkersTransport({ send: async (m) => void (await binding.send(m)) }) : noMailTransport();
  const runtime = createRuntime({
    db,
    config,
    clock,
    mail,
    dispatchDeliveries: async (token, claimed) => void (await dispatchToQueue(env.DELIVERIES, token, claimed)),
    widgetAsset: assetReader(env.ASSETS),
  });
  // The simulated clock's fast-forward runs many ticks in one request and expects each tick's
  // pushes to happen at that tick's time, so it pushes in-process; the Cron Trigger uses the Queue.
  runtime.runJobs = (now) => runJobs({ ...runtime, dispatchDeliveries: undefined }, now);
  // Fresh post is claimed and handed to the Queue by the request that made it due (kept alive by
  // waitUntil), not left for the next Cron Trigger. Each request runs its own claim: no request
  // waits on a run another request started (workerd would cancel it as hung), and nothing
  // per-isolate is left half-done when a request ends early. Claims keep concurrent runs apart.
  runtime.kickDeliveries = (systemId?: string) =>
    runDeliveries(runtime, systemId).then(
      () => undefined,
      (err: unknown) => console.error("postvej: delivery run failed", err),
    );
  return runtime;
}

const app = buildApp((env) => depsFor(env as Env));

/** One scheduler tick at the app's clock (the simulated one when configured); returns the jobs' report. */
export async function runScheduled(env: Env): Promise<Record<string, unknown>> {
  const runtime = await depsFor(env);
  return runJobs(runtime, await runtime.clock.now());
}

/** Pushes the claims of each Queue message; a message whose claims are gone is simply acknowledged. */
export async function deliverBatch(batch: MessageBatch<DeliveryBatch>, env: Env): Promise<void> {
  let runtime: Runtime;
  try {
    runtime = await depsFor(env);
  } catch (err) {
    // A fresh isolate that cannot reach its database: the same 30 s as below, not Queues' own retry at once.
    console.error("postvej: delivery batch failed, retrying", err);
    batch.retryAll({ delaySeconds: 30 });
    return;
  }
  await Promise.all(
    batch.messages.map(async (msg) => {
      try {
        const claimed = await stillClaimed(runtime.db, msg.body, Date.now(), claimLeaseMs(runtime));
        await deliverClaimed(runtime, msg.body.token, claimed, DEFAULT_DELIVERY_LIMITS);
        msg.ack();
      } catch (err) {
        // Only a failure of our own (the database) lands here; push failures are recorded as attempts.
        console.error("postvej: delivery batch failed, retrying", err);
        msg.retry({ delaySeconds: 30 });
      }
    }),
  );
}

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      runScheduled(env).then(
        (report) => console.log("postvej tick", JSON.stringify(report)),
        (err: unknown) => {
          console.error("postvej tick failed", err);
          throw err; // so the Cron Trigger's log shows the tick as failed
        },
      ),
    );
  },
  queue: (batch, env, _ctx) => deliverBatch(batch, env),
} satisfies ExportedHandler<Env, DeliveryBatch>;
