import { findAuthority, listContactPoints, listRecipientSystems, type ContactPointsTable, type Database, type RecipientSystemsTable } from "@postvej/db";
import type { Kysely } from "kysely";

/** What intake needs to route for one authority. */
export type RoutingSnapshot = {
  systems: RecipientSystemsTable[];
  contactPoints: Map<string, ContactPointsTable>;
};

// Intake reads an authority's contact structure for every message; it changes rarely. A snapshot
// lives a few seconds, and this process drops it at once when it changes the structure itself
// (another process or isolate sees the change within the TTL; post routed to a system deactivated
// in that window is moved on by the next scheduler tick).
const TTL_MS = 5_000;
const snapshots = new WeakMap<Kysely<Database>, Map<string, { at: number; snapshot: Promise<RoutingSnapshot | null> }>>();

/** The authority's routing data (null when there is no such authority), at most a few seconds old. */
export function routingSnapshot(db: Kysely<Database>, cvr: string): Promise<RoutingSnapshot | null> {
  let byCvr = snapshots.get(db);
  if (!byCvr) snapshots.set(db, (byCvr = new Map()));
  const hit = byCvr.get(cvr);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.snapshot;
  const snapshot = load(db, cvr);
  byCvr.set(cvr, { at: Date.now(), snapshot });
  snapshot.catch(() => byCvr.delete(cvr));
  return snapshot;
}

/** Forgets the authority's snapshot after this process changed its contact structure. */
export function invalidateRouting(db: Kysely<Database>, cvr: string): void {
  snapshots.get(db)?.delete(cvr);
}

async function load(db: Kysely<Database>, cvr: string): Promise<RoutingSnapshot | null> {
  const authority = await findAuthority(db, cvr);
  if (!authority) return null;
  const [systems, contactPoints] = await Promise.all([listRecipientSystems(db, cvr), listContactPoints(db, cvr)]);
  return { systems, contactPoints: new Map(contactPoints.map((cp) => [cp.id, cp])) };
}
