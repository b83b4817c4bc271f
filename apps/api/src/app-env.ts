import type { Database } from "@postvej/db";
import type { Kysely } from "kysely";
import type { Clock } from "./clock.ts";
import type { AppConfig } from "./config.ts";
import type { Principal } from "./auth.ts";
import type { JobDeps } from "./jobs/run-jobs.ts";
import type { MemoChecker } from "./services/memo-check.ts";
import type { MessageStore } from "./services/intake-writer.ts";

/** What the app needs from its runtime, built by the Node entry or the Worker entry. */
export type AppDeps = {
  db: Kysely<Database>;
  config: AppConfig;
  clock: Clock;
  /** Runs every scheduled job once at `now` (used by the simulated clock's fast-forward). */
  runJobs(now: Date): Promise<unknown>;
  /** What deliveries and the status test need (the same as the scheduler's). */
  jobs: JobDeps;
  /** SHA-256 in hex of a message body; the Node entry passes node:crypto's (Web Crypto's is far slower there). */
  hashBytes?(bytes: Uint8Array): string | Promise<string>;
  /** Where intake reads MeMo documents; the Node entry passes a worker-thread pool. */
  checkMemo?: MemoChecker;
  /** Where intake writes accepted messages; the Node server passes a group commit (see services/intake-writer.ts). */
  storeMessage?: MessageStore;
  /**
   * Starts a delivery run now, so fresh post need not wait for the next tick (for `systemId`'s post
   * when given); returns the run's promise where the runtime must be told to keep it alive (Workers).
   */
  kickDeliveries?(systemId?: string): Promise<void> | void;
  /** The demo host's extras (only in the local demo). */
  demo?: DemoHost;
};

/** The local demo's receiver switch and seeded ids. */
export type DemoHost = {
  authority: { cvr: string; name: string };
  adminKeyId: string;
  senderKeyId: string;
  systems: { id: string; name: string }[];
  setUp(systemId: string, up: boolean): boolean;
};

/** Hono's environment for every route: the deps and, after auth, the caller. */
export type AppEnv = {
  Variables: {
    deps: AppDeps;
    principal: Principal;
  };
};
