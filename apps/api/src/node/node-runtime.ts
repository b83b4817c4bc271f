import { createHash } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { migrateToLatest } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import { systemClock, simulatedClock } from "../clock.ts";
import { dbRequestTimeoutMs, numberSetting, readConfig, type AppConfig } from "../config.ts";
import type { AppDeps } from "../app-env.ts";
import { runJobs, type JobDeps } from "../jobs/run-jobs.ts";
import { createNodeTransport, readMailConfig } from "../mail/mail-config.ts";
import { publicOnlyFetch } from "./public-only-fetch.ts";
import { groupCommitStore } from "../services/intake-writer.ts";

/** The folder relative paths mean: where `npm` was invoked (the repo root for `npm start`). */
export const baseDir = process.env.INIT_CWD ?? process.cwd();

/** `file:./data/x.db` relative to `baseDir`; other URLs unchanged. */
export function resolveLibsqlUrl(url: string): string {
  if (!url.startsWith("file:")) return url;
  const path = url.slice("file:".length);
  return isAbsolute(path) ? url : `file:${resolve(baseDir, path)}`;
}

/** Opens the database, applies migrations and builds the app's dependencies on Node. */
export async function createNodeDeps(env: NodeJS.ProcessEnv, overrides: Partial<AppConfig> = {}): Promise<AppDeps> {
  const config = { ...readConfig(env, { production: env.NODE_ENV === "production" }), ...overrides };
  const db = await openNodeDatabase(resolveLibsqlUrl(env.LIBSQL_URL ?? "file:./data/postvej.db"), env.LIBSQL_AUTH_TOKEN, { requestTimeoutMs: dbRequestTimeoutMs(env) });
  await migrateToLatest(db);
  const clock = config.simulatedClock ? simulatedClock(db) : systemClock;
  const mailConfig = readMailConfig(env);
  const mail = createNodeTransport(mailConfig.kind === "file" ? { ...mailConfig, dir: resolve(baseDir, mailConfig.dir) } : mailConfig);
  // In production a push connects only to public addresses, whatever the endpoint's name resolves to.
  // Delivery claims last this long on the wall clock unless renewed (default: 30 s, or twice the push timeout).
  const claimLeaseMs = env.POSTVEJ_CLAIM_LEASE_MS ? numberSetting(env, "POSTVEJ_CLAIM_LEASE_MS", 30_000, { min: 1_000, max: 3_600_000, integer: true }) : undefined;
  const jobs: JobDeps = {
    db, clock, config: { ...config, mailFrom: mailConfig.from }, mail,
    ...(config.production ? { fetch: publicOnlyFetch() } : {}), ...(claimLeaseMs ? { claimLeaseMs } : {}),
  };
  const hashBytes = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
  // One long-lived process: concurrent intakes share a commit (never on Workers; see intake-writer.ts).
  return { db, config, clock, jobs, hashBytes, storeMessage: groupCommitStore(db), runJobs: (now) => runJobs(jobs, now) };
}
