import type { ClaimedMessage, Database } from "@postvej/db";
import type { Kysely } from "kysely";
import type { Clock } from "../clock.ts";
import type { AppConfig } from "../config.ts";
import { claimDue, deliverClaimed, DEFAULT_DELIVERY_LIMITS, type DeliveryLimits } from "../delivery/deliver-due.ts";
import type { MailTransport } from "../mail/transport.ts";
import { drainOutbox } from "./drain-outbox.ts";
import { runRedeliveryFlow } from "./redelivery-flow.ts";
import { markPullOverdue } from "./pull-overdue.ts";
import { releaseHeld } from "./release-held.ts";
import { runRelocationBatches } from "./relocation-batches.ts";
import { queueVirkDigests } from "./virk-digest.ts";

/** Everything the scheduler needs for one tick. */
export type JobDeps = {
  db: Kysely<Database>;
  clock: Clock;
  config: Pick<AppConfig, "pushTimeoutMs" | "production" | "portalUrl" | "mailFrom">;
  mail: MailTransport;
  deliveryLimits?: DeliveryLimits;
  /**
   * On Workers, claimed deliveries fan out through a Queue instead of running in this invocation;
   * without it (Node), they are pushed right here.
   */
  dispatchDeliveries?: (token: string, claimed: ClaimedMessage[]) => Promise<void>;
  fetch?: typeof fetch;
  random?: () => number;
  /** How long delivery claims last (wall clock); see claimLeaseMs. */
  claimLeaseMs?: number;
  /** The wall clock for leases; tests inject one. */
  wallClock?: () => number;
};

/**
 * One scheduler tick: every job, in order, at `now`. The same on Node (in-process timer) and on
 * Workers (Cron Trigger). Each job is idempotent and works in bounded batches.
 */
export async function runJobs(deps: JobDeps, now: Date): Promise<Record<string, unknown>> {
  const { db } = deps;
  const report: Record<string, unknown> = {};
  report.releaseHeld = await releaseHeld(db, now);
  report.relocations = await runRelocationBatches({ db, now, portalUrl: deps.config.portalUrl });
  report.deliveries = await runDeliveries(deps);
  report.pullOverdue = await markPullOverdue(db, now);
  report.flow = await runRedeliveryFlow(db, now, deps.config.portalUrl);
  report.virkDigests = await queueVirkDigests({ db, now, portalUrl: deps.config.portalUrl });
  report.mail = await drainOutbox({ db, transport: deps.mail, now, from: deps.config.mailFrom, ...(deps.wallClock ? { wallClock: deps.wallClock } : {}) });
  return report;
}

/** Claims the due deliveries (of all systems, or of one) and pushes them here, or hands them to the Queue on Workers. */
export async function runDeliveries(deps: JobDeps, systemId?: string) {
  const limits = deps.deliveryLimits ?? DEFAULT_DELIVERY_LIMITS;
  const delivery = deliveryDeps(deps);
  const { token, claimed } = await claimDue(delivery, limits, systemId);
  if (deps.dispatchDeliveries) {
    await deps.dispatchDeliveries(token, claimed);
    return { claimed: claimed.length, dispatched: true };
  }
  return { claimed: claimed.length, ...(await deliverClaimed(delivery, token, claimed, limits)) };
}

/** The delivery slice of the job dependencies. */
export function deliveryDeps(deps: JobDeps) {
  return {
    db: deps.db, clock: deps.clock, pushTimeoutMs: deps.config.pushTimeoutMs, production: deps.config.production,
    ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.random ? { random: deps.random } : {}),
    ...(deps.claimLeaseMs ? { claimLeaseMs: deps.claimLeaseMs } : {}), ...(deps.wallClock ? { wallClock: deps.wallClock } : {}),
  };
}
