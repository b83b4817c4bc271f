// The Cloudflare Workers entry. Nothing Node-only may be imported from here (node/*,
// mail/mail-config.ts, mail/smtp-transport.ts, mail/file-transport.ts).
import { type Database, migrateToLatest } from "@postvej/db";
import { openWebDatabase } from "@postvej/db/web";
import type { Kysely } from "kysely";
import type { AppDeps } from "./app-env.ts";
import { buildApp } from "./app.ts";
import { simulatedClock, systemClock } from "./clock.ts";
import { dbRequestTimeoutMs, readConfig } from "./config.ts";
import { DEFAULT_DELIVERY_LIMITS, claimLeaseMs, deliverClaimed } from "./delivery/deliver-due.ts";
import { deliveryDeps, runDeliveries, runJobs, type JobDeps } from "./jobs/run-jobs.ts";
import type { MailTransport } from "./mail/transport.ts";
import { createWorkersTransport } from "./mail/workers-transport.ts";
import { type DeliveryBatch, dispatchToQueue, stillClaimed } from "./worker-deliveries.ts";

/** The Worker's bindings (wrangler.jsonc: vars, secrets, the Queue producer, `send_email`). */
export interface Env {
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  POSTVEJ_OPERATOR_TOKEN: string;
  /** `production` (the default on Workers) or anything else, e.g. `development`. */
  POSTVEJ_ENV?: string;
  /** `simulated` for a movable clock (refused in production). */
  POSTVEJ_CLOCK?: string;
  POSTVEJ_MAIL_FROM?: string;
  POSTVEJ_PORTAL_URL?: string;
  DELIVERIES: Queue<DeliveryBatch>;
  /** Cloudflare Email Routing's `send_email` binding; without it e-mail waits in the outbox. */
  MAIL?: SendEmail;
}

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

async function database(env: Env): Promise<Kysely<Database>> {
  const key = `${env.LIBSQL_URL}\n${env.LIBSQL_AUTH_TOKEN ?? ""}`;
  const ready = databases.get(key);
  if (ready) return ready;
  const db = openWebDatabase(env.LIBSQL_URL, env.LIBSQL_AUTH_TOKEN, { requestTimeoutMs: dbRequestTimeoutMs(vars(env)) });
  // A failed migration throws to this request; the next one tries again.
  await migrateToLatest(db);
  if (!databases.has(key)) databases.set(key, db);
  return databases.get(key)!;
}

let warnedNoMail = false;

/** Without a `send_email` binding nothing is sent: every row stays in the outbox, retried later. */
const noMailTransport: MailTransport = {
  async send() {
    if (!warnedNoMail) {
      warnedNoMail = true;
      console.warn("postvej: no MAIL (send_email) binding; e-mail stays in the outbox unsent");
    }
    throw new Error("no MAIL binding: kept in the outbox");
  },
};

// The deps of an env object: built once per isolate (Workers hands every invocation the same env),
// kept once built (like the database above, no shared promise in progress).
const depsByEnv = new WeakMap<Env, AppDeps>();

/** The app's and the jobs' dependencies for `env`, with deliveries fanned out through `env.DELIVERIES`. */
export async function depsFor(env: Env): Promise<AppDeps> {
  const ready = depsByEnv.get(env);
  if (ready) return ready;
  const deps = await buildDeps(env);
  if (!depsByEnv.has(env)) depsByEnv.set(env, deps);
  return depsByEnv.get(env)!;
}

async function buildDeps(env: Env): Promise<AppDeps> {
  const config = readConfig(vars(env), { production: true, runtime: "workers" });
  if (!env.LIBSQL_URL) throw new Error("LIBSQL_URL must be set (libsql://… for Turso, http(s)://… for sqld)");
  const db = await database(env);
  const clock = config.simulatedClock ? simulatedClock(db) : systemClock;
  const binding = env.MAIL;
  // The binding resolves to a send result postvej does not need; the transport wants `void`.
  const mail = binding ? createWorkersTransport({ send: async (m) => void (await binding.send(m)) }) : noMailTransport;
  const jobs: JobDeps = {
    db, clock, config, mail,
    dispatchDeliveries: async (token, claimed) => void (await dispatchToQueue(env.DELIVERIES, token, claimed)),
  };
  // The simulated clock's fast-forward runs many ticks in one request and expects each tick's
  // pushes to happen at that tick's time, so it pushes in-process; the Cron Trigger uses the Queue.
  const inline: JobDeps = { ...jobs, dispatchDeliveries: undefined };
  // Fresh post is claimed and handed to the Queue by the request that made it due (kept alive by
  // waitUntil), not left for the next Cron Trigger. Each request runs its own claim: no request
  // waits on a run another request started (workerd would cancel it as hung), and nothing
  // per-isolate is left half-done when a request ends early. Claims keep concurrent runs apart.
  const kickDeliveries = (systemId?: string) => runDeliveries(jobs, systemId).then(
    () => undefined,
    (err: unknown) => console.error("postvej: delivery run failed", err),
  );
  return { db, config, clock, jobs, runJobs: (now) => runJobs(inline, now), kickDeliveries };
}

const app = buildApp((env) => depsFor(env as Env));

/** One scheduler tick at the app's clock (the simulated one when configured); returns the jobs' report. */
export async function runScheduled(env: Env): Promise<Record<string, unknown>> {
  const deps = await depsFor(env);
  return runJobs(deps.jobs, await deps.clock.now());
}

/** Pushes the claims of each Queue message; a message whose claims are gone is simply acknowledged. */
export async function deliverBatch(batch: MessageBatch<DeliveryBatch>, env: Env): Promise<void> {
  const deps = await depsFor(env);
  const delivery = deliveryDeps(deps.jobs);
  await Promise.all(batch.messages.map(async (msg) => {
    try {
      const claimed = await stillClaimed(deps.db, msg.body, Date.now(), claimLeaseMs(delivery));
      await deliverClaimed(delivery, msg.body.token, claimed, DEFAULT_DELIVERY_LIMITS);
      msg.ack();
    } catch (err) {
      // Only a failure of our own (the database) lands here; push failures are recorded as attempts.
      console.error("postvej: delivery batch failed, retrying", err);
      msg.retry({ delaySeconds: 30 });
    }
  }));
}

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(runScheduled(env).then(
      (report) => console.log("postvej tick", JSON.stringify(report)),
      (err: unknown) => {
        console.error("postvej tick failed", err);
        throw err; // so the Cron Trigger's log shows the tick as failed
      },
    ));
  },
  queue: (batch, env, _ctx) => deliverBatch(batch, env),
} satisfies ExportedHandler<Env, DeliveryBatch>;
