import type { Database } from "@postvej/db";
import type { Kysely } from "kysely";
import { releaseHeld } from "./release-held.ts";

/** Everything the scheduler needs for one tick. */
export type JobDeps = { db: Kysely<Database> };

/** One scheduler tick: every job, in order, at `now`. The same on Node and on Workers. */
export async function runJobs(deps: JobDeps, now: Date): Promise<Record<string, unknown>> {
  const report: Record<string, unknown> = {};
  report.releaseHeld = await releaseHeld(deps.db, now);
  return report;
}
