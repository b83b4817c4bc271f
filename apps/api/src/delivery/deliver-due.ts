import { UNREACHABLE_RETRY_MS } from "@postvej/core/delivery";
import { randomToken } from "@postvej/core/ids";
import { claimDueMessages, deferClaims, getRecipientSystem, releaseClaims, type ClaimedMessage } from "@postvej/db";
import { canPush, pushClaimed, type AttemptResult, type DeliveryDeps } from "./attempt-delivery.ts";
import { withBodies } from "./body-groups.ts";
import { claimLeaseMs, keepClaims } from "./keep-claims.ts";
import { attemptRecorder } from "./record-attempts.ts";

/** Bounds of one delivery run. */
export type DeliveryLimits = {
  /** Messages claimed per run, over all systems. */
  batch: number;
  /** Messages claimed per system per run: one slow system cannot take the whole run. */
  perSystem: number;
  /** Pushes in flight at once to one system. */
  perSystemConcurrency: number;
};

export const DEFAULT_DELIVERY_LIMITS: DeliveryLimits = { batch: 500, perSystem: 50, perSystemConcurrency: 4 };

// Where it has always been imported from (worker.ts, node/main.ts); it lives beside the claims' renewal.
export { claimLeaseMs };

/** Claims the due messages of this run (all systems, or one): due by the domain clock, leased by the wall clock. */
export async function claimDue(
  deps: DeliveryDeps,
  limits: DeliveryLimits,
  systemId?: string,
): Promise<{ token: string; claimed: ClaimedMessage[] }> {
  const now = await deps.clock.now();
  const wall = (deps.wallClock ?? Date.now)();
  const token = randomToken(20);
  const claimed = await claimDueMessages(deps.db, {
    now: now.toISOString(),
    leaseNow: new Date(wall).toISOString(),
    limit: limits.batch,
    perSystemLimit: limits.perSystem,
    leaseUntil: new Date(wall + claimLeaseMs(deps)).toISOString(),
    token,
    ...(systemId ? { systemId } : {}),
  });
  return { token, claimed };
}

/**
 * Pushes claimed messages: systems in parallel, each with its own small concurrency limit, so a
 * slow or dead system never holds up the others. Outcomes are recorded as they come, in small
 * batches (see {@link attemptRecorder}), so a crash repeats at most the pushes then in flight.
 * Once `stopping` aborts (a graceful shutdown) no new push starts: the messages not yet pushed are
 * given back, due as they were, and the run ends when the pushes in flight are recorded.
 */
export async function deliverClaimed(
  deps: DeliveryDeps,
  token: string,
  claimed: readonly ClaimedMessage[],
  limits: DeliveryLimits,
  stopping?: AbortSignal,
): Promise<Record<AttemptResult, number>> {
  const bySystem = new Map<string, ClaimedMessage[]>();
  for (const m of claimed) {
    const list = bySystem.get(m.custodian_system_id);
    if (list) list.push(m);
    else bySystem.set(m.custodian_system_id, [m]);
  }
  const unsettled = new Set(claimed.map((m) => m.uuid));
  const lease = keepClaims(deps, token, unsettled);
  const recorder = attemptRecorder(deps.db);
  const recorded: Promise<void>[] = [];
  let recordError: unknown;
  const counts: Record<AttemptResult, number> = { delivered: 0, failed: 0, skipped: 0 };
  /** Releases claims unpushed, due as they were; each counts as skipped. */
  const giveBack = async (messages: readonly ClaimedMessage[]) => {
    await releaseClaims(
      deps.db,
      messages.map((m) => m.uuid),
      token,
    );
    for (const m of messages) unsettled.delete(m.uuid);
    counts.skipped += messages.length;
  };
  try {
    await Promise.all(
      [...bySystem].map(async ([systemId, all]) => {
        const system = await getRecipientSystem(deps.db, systemId);
        // Deactivated (or changed) since the claim: give the messages back; the flow moves them on.
        if (!canPush(system)) return giveBack(all);
        // A system that cannot be reached (no HTTP answer at all) gets no more pushes this run: its
        // other messages are given back, so a dead endpoint costs one timeout per run, not fifty.
        let unreachable = false;
        const left: ClaimedMessage[] = [];
        const givenBack: ClaimedMessage[] = [];
        // Bodies are read a few pushes' worth at a time (see withBodies).
        const stop = () => unreachable || stopping?.aborted === true;
        for await (const [chunk, bodies] of withBodies(deps, all, limits.perSystemConcurrency * 4, stop)) {
          if (stopping?.aborted) {
            givenBack.push(...chunk);
            continue;
          }
          if (unreachable || !bodies) {
            left.push(...chunk);
            continue;
          }
          const queue = [...chunk];
          const workers = Array.from({ length: Math.min(limits.perSystemConcurrency, queue.length) }, async () => {
            for (let m = queue.shift(); m; m = queue.shift()) {
              // A claim this run could not renew may belong to another run now: not ours to push.
              if (!unsettled.has(m.uuid)) continue;
              if (stopping?.aborted) {
                givenBack.push(m);
                continue;
              }
              const body = bodies.get(m.uuid);
              if (unreachable || !body) {
                left.push(m);
                continue;
              }
              const record = await pushClaimed(deps, m, token, system, body);
              counts[record.outcome.outcome]++;
              if (record.outcome.statusCode === null && record.outcome.outcome === "failed") unreachable = true;
              const uuid = m.uuid;
              recorded.push(
                recorder.add(record).then(
                  () => void unsettled.delete(uuid),
                  (e: unknown) => void (recordError ??= e),
                ),
              );
            }
          });
          await Promise.all(workers);
        }
        // Given back as they were (due now), for the next start to push at once.
        await giveBack(givenBack);
        if (left.length > 0) {
          const retryAt = new Date((await deps.clock.now()).getTime() + UNREACHABLE_RETRY_MS).toISOString();
          await deferClaims(
            deps.db,
            left.map((m) => m.uuid),
            token,
            retryAt,
          );
          for (const m of left) unsettled.delete(m.uuid);
          counts.skipped += left.length;
        }
      }),
    );
    await recorder.flush();
    await Promise.all(recorded);
  } finally {
    lease.stop();
  }
  if (recordError) throw recordError;
  return counts;
}

/** One delivery run: claim what is due (for all systems, or for one), push it, record it; `stopping`: see deliverClaimed. */
export async function deliverDue(
  deps: DeliveryDeps,
  limits: DeliveryLimits = DEFAULT_DELIVERY_LIMITS,
  systemId?: string,
  stopping?: AbortSignal,
) {
  const { token, claimed } = await claimDue(deps, limits, systemId);
  const counts = await deliverClaimed(deps, token, claimed, limits, stopping);
  return { claimed: claimed.length, ...counts };
}
