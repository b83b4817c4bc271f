import { pushClaimLeaseMs } from "@postvej/core/delivery";
import { renewClaims } from "@postvej/db";
import type { DeliveryDeps } from "./attempt-delivery.ts";

/** A claim's lease on the wall clock: the configured one, else core's (see pushClaimLeaseMs). */
export function claimLeaseMs(deps: Pick<DeliveryDeps, "config">): number {
  return deps.config.claimLeaseMs ?? pushClaimLeaseMs(deps.config.pushTimeoutMs);
}

/**
 * Renews the run's claims on the messages not yet settled (pushed and recorded, given back),
 * every third of a lease until stopped. A claim that could not be renewed (it lapsed and another
 * run may hold it) is dropped from `unsettled`, and the run does not push that message.
 */
export function keepClaims(deps: DeliveryDeps, token: string, unsettled: Set<string>): { stop(): void } {
  const leaseMs = claimLeaseMs(deps);
  let renewing: Promise<void> | null = null;
  const renew = async () => {
    const uuids = [...unsettled];
    if (uuids.length === 0) return;
    const wall = (deps.wallClock ?? Date.now)();
    const held = await renewClaims(deps.db, uuids, token, new Date(wall).toISOString(), new Date(wall + leaseMs).toISOString());
    for (const uuid of uuids) if (!held.has(uuid)) unsettled.delete(uuid);
  };
  const timer = setInterval(
    () => {
      renewing ??= renew()
        .catch((err: unknown) => console.error("postvej: renewing delivery claims failed", err))
        .finally(() => (renewing = null));
    },
    Math.max(1_000, Math.floor(leaseMs / 3)),
  );
  return { stop: () => clearInterval(timer) };
}
