import { randomToken } from "@postvej/core/ids";
import { RELOCATION_BATCH, RELOCATION_LEASE_MS } from "@postvej/core/relocation";
import { releaseRelocationClaim } from "@postvej/db";
import type { Runtime } from "../runtime.ts";
import { driveRelocation } from "./run-batch.ts";
import { createRelocation, type RelocationRequest } from "./start-relocation.ts";

/**
 * Creates a relocation and, when it is small (at most one batch pending), runs it here, on every
 * entry (Node, Workers): claimed from its creation with a job's lease on the wall clock, so a
 * scheduler tick (another instance, the Cron Trigger) takes nothing of it meanwhile, as two job
 * runs never share one. What is left (a large one, or an inline batch that failed and rolled back)
 * is given back at once for the scheduler's next tick. `moved` says whether post moved here.
 */
export async function startRelocation(
  deps: Pick<Runtime, "db" | "config" | "wallClock">,
  cvr: string,
  request: RelocationRequest,
  actor: { kind: "api_key" | "portal_user"; id: string; name: string },
  at: string,
): Promise<{ id: string; moved: boolean }> {
  const wall = (deps.wallClock ?? Date.now)();
  const claim = { token: randomToken(16), until: new Date(wall + RELOCATION_LEASE_MS).toISOString() };
  const { id, pending, repeat } = await createRelocation(deps.db, cvr, request, actor, at, claim);
  if (repeat) return { id, moved: false };
  let finished = false;
  let moved = false;
  if (pending <= RELOCATION_BATCH) {
    try {
      const r = await driveRelocation(deps.db, id, at, { portalUrl: deps.config.portalUrl, maxBatches: 2 });
      finished = r.finished;
      moved = r.moved > 0;
    } catch (err) {
      // The batch rolled back whole; the relocation exists and stays `running`, so the scheduler retries it.
      console.error(`relocation ${id}: the inline batch failed; the scheduler takes over`, err);
    }
  }
  if (!finished) await releaseRelocationClaim(deps.db, id, claim.token);
  return { id, moved };
}
