import {
  findAuthority,
  listContactPoints,
  listRecipientSystems,
  type ContactPointsTable,
  type Database,
  type RecipientSystemsTable,
} from "@postvej/db";
import type { Kysely } from "kysely";

/** What intake needs to route for one authority. */
export type RoutingSnapshot = {
  systems: RecipientSystemsTable[];
  contactPoints: Map<string, ContactPointsTable>;
};

/** One process's (or isolate's) snapshots of one database, kept in its runtime (see runtime.ts). */
export type RoutingSnapshots = {
  /** The authority's routing data (null when there is no such authority), at most a few seconds old (see ROUTING_SNAPSHOT_STALE_MS). */
  get(cvr: string): Promise<RoutingSnapshot | null>;
  /** Forgets the authority's snapshot after this process changed its contact structure. */
  invalidate(cvr: string): void;
};

// Intake reads an authority's contact structure for every message; it changes rarely. A snapshot
// lives a few seconds, and this process drops it at once when it changes the structure itself
// (another process or isolate sees the change within the TTL; post routed to a system deactivated
// in that window is moved on by the next scheduler tick). Only loaded snapshots are kept, never a
// load in progress: on Workers a request must not wait on a read another request started. While
// one request reads an expired snapshot again, the others go on with the expired one (up to
// STALE_MS old) instead of each reading it too: at 40 requests in flight, one read instead of 40.
export const ROUTING_SNAPSHOT_TTL_MS = 5_000;
/** The oldest an expired snapshot may be to serve while another request of this process reloads it. */
export const ROUTING_SNAPSHOT_STALE_MS = 10_000;

/** An empty cache of routing snapshots over `db`; `wallClock` (ms) ages them. */
export function routingSnapshots(db: Kysely<Database>, wallClock: () => number = Date.now): RoutingSnapshots {
  const loaded = new Map<string, { at: number; snapshot: RoutingSnapshot | null }>();
  const changes = new Map<string, number>();
  // Reads of an authority in progress in this process (a count: two may overlap).
  const reloading = new Map<string, number>();
  return {
    async get(cvr) {
      const hit = loaded.get(cvr);
      const age = hit ? wallClock() - hit.at : Infinity;
      if (hit && (age < ROUTING_SNAPSHOT_TTL_MS || ((reloading.get(cvr) ?? 0) > 0 && age < ROUTING_SNAPSHOT_STALE_MS))) return hit.snapshot;
      const change = changes.get(cvr) ?? 0;
      reloading.set(cvr, (reloading.get(cvr) ?? 0) + 1);
      try {
        const snapshot = await load(db, cvr);
        // A read that raced a change made by this process is used once, not kept.
        if ((changes.get(cvr) ?? 0) === change) loaded.set(cvr, { at: wallClock(), snapshot });
        return snapshot;
      } finally {
        const left = (reloading.get(cvr) ?? 1) - 1;
        if (left > 0) reloading.set(cvr, left);
        else reloading.delete(cvr);
      }
    },
    invalidate(cvr) {
      loaded.delete(cvr);
      changes.set(cvr, (changes.get(cvr) ?? 0) + 1);
    },
  };
}

async function load(db: Kysely<Database>, cvr: string): Promise<RoutingSnapshot | null> {
  const authority = await findAuthority(db, cvr);
  if (!authority) return null;
  const [systems, contactPoints] = await Promise.all([listRecipientSystems(db, cvr), listContactPoints(db, cvr)]);
  return { systems, contactPoints: new Map(contactPoints.map((cp) => [cp.id, cp])) };
}
