import { claimDue, deliverClaimed, DEFAULT_DELIVERY_LIMITS } from "../delivery/deliver-due.ts";
import type { Runtime } from "../runtime.ts";
import { drainOutbox } from "./drain-outbox.ts";
import { runRedeliveryFlow } from "./redelivery-flow.ts";
import { markPullOverdue } from "./pull-overdue.ts";
import { releaseHeld } from "./release-held.ts";
import { runRelocationBatches } from "./relocation-batches.ts";
import { queueVirkDigests } from "./virk-digest.ts";
import { pushDueReceipts } from "./receipt-pump.ts";

/** What the scheduler needs of the runtime for one tick. */
export type JobDeps = Pick<
  Runtime,
  "db" | "clock" | "config" | "mail" | "deliveryLimits" | "dispatchDeliveries" | "fetch" | "random" | "wallClock" | "signPayload"
>;

/**
 * One scheduler tick: every job, in order, at `now`. The same on Node (in-process timer) and on
 * Workers (Cron Trigger). Each job is idempotent and works in bounded batches. Once `stopping`
 * aborts (Node's graceful shutdown) the tick's deliveries and receipts start no new push.
 */
export async function runJobs(deps: JobDeps, now: Date, stopping?: AbortSignal): Promise<Record<string, unknown>> {
  const { db } = deps;
  const report: Record<string, unknown> = {};
  // Receipts to senders go out beside the other jobs, not before or after them: a sender's dead
  // endpoint holds only this job (bounded: one batch, each push within its own timeout).
  // A failure of its own is logged (its claims lapse and come round again), never left unhandled.
  const receipts = pushDueReceipts(deps, now, undefined, stopping).catch((err: unknown) => {
    console.error("postvej: receipt job failed", err);
    return { failed: String(err) };
  });
  report.releaseHeld = await releaseHeld(db, now);
  report.relocations = await runRelocationBatches({
    db,
    now,
    portalUrl: deps.config.portalUrl,
    ...(deps.wallClock ? { wallClock: deps.wallClock } : {}),
  });
  report.deliveries = await runDeliveries(deps, undefined, stopping);
  report.pullOverdue = await markPullOverdue(db, now);
  report.flow = await runRedeliveryFlow(db, now, deps.config.portalUrl, new Date((deps.wallClock ?? Date.now)()));
  report.virkDigests = await queueVirkDigests({ db, now, portalUrl: deps.config.portalUrl });
  report.mail = await drainOutbox({
    db,
    transport: deps.mail,
    now,
    from: deps.config.mailFrom,
    ...(deps.wallClock ? { wallClock: deps.wallClock } : {}),
  });
  report.receipts = await receipts;
  return report;
}

/** Claims the due deliveries (of all systems, or of one) and pushes them here, or hands them to the Queue on Workers. */
export async function runDeliveries(deps: JobDeps, systemId?: string, stopping?: AbortSignal) {
  const limits = deps.deliveryLimits ?? DEFAULT_DELIVERY_LIMITS;
  const { token, claimed } = await claimDue(deps, limits, systemId);
  if (deps.dispatchDeliveries) {
    await deps.dispatchDeliveries(token, claimed);
    return { claimed: claimed.length, dispatched: true };
  }
  return { claimed: claimed.length, ...(await deliverClaimed(deps, token, claimed, limits, stopping)) };
}
