import { describe, expect, it } from "vitest";
import { ROUTING_SNAPSHOT_STALE_MS, ROUTING_SNAPSHOT_TTL_MS, routingSnapshots } from "../src/services/routing-snapshot.ts";
import { CVR, createTestApp, seedAuthority } from "./support/test-app.ts";

/** A snapshot's system names: what tells a fresh read from a kept one here. */
const names = (s: Awaited<ReturnType<ReturnType<typeof routingSnapshots>["get"]>>) => s!.systems.map((x) => x.name).sort();

describe("routing snapshots", () => {
  it("while one request reads an expired snapshot again, the others go on with the expired one instead of reading too", async () => {
    const t = await createTestApp();
    await seedAuthority(t);
    let now = 1_000_000;
    const snapshots = routingSnapshots(t.db, () => now);
    const first = await snapshots.get(CVR);
    expect(names(first)).toEqual(["other", "primary"]);
    await t.db.updateTable("recipient_systems").set({ name: "renamed" }).where("name", "=", "other").execute();
    // Within the TTL: the kept one.
    now += ROUTING_SNAPSHOT_TTL_MS - 1;
    expect(await snapshots.get(CVR)).toBe(first);
    // Expired: the first caller reads again; one arriving meanwhile gets the expired snapshot at once.
    now += 1;
    const reading = snapshots.get(CVR);
    const meanwhile = await snapshots.get(CVR);
    expect(meanwhile).toBe(first);
    const fresh = await reading;
    expect(names(fresh)).toEqual(["primary", "renamed"]);
    // The fresh one is kept from then on.
    expect(await snapshots.get(CVR)).toBe(fresh);
  });

  it("reads again when the expired snapshot is too old to stand in, or this process changed the structure", async () => {
    const t = await createTestApp();
    await seedAuthority(t);
    let now = 1_000_000;
    const snapshots = routingSnapshots(t.db, () => now);
    const first = await snapshots.get(CVR);
    await t.db.updateTable("recipient_systems").set({ name: "renamed" }).where("name", "=", "other").execute();
    now += ROUTING_SNAPSHOT_STALE_MS;
    const reading = snapshots.get(CVR);
    const meanwhile = await snapshots.get(CVR);
    expect(names(meanwhile)).toEqual(["primary", "renamed"]);
    await reading;
    const kept = await snapshots.get(CVR);
    expect(kept).not.toBe(first);
    // A change by this process: no expired snapshot stands in while the next read runs.
    await t.db.updateTable("recipient_systems").set({ name: "again" }).where("name", "=", "renamed").execute();
    snapshots.invalidate(CVR);
    const [a, b] = await Promise.all([snapshots.get(CVR), snapshots.get(CVR)]);
    expect(names(a)).toEqual(["again", "primary"]);
    expect(names(b)).toEqual(["again", "primary"]);
  });
});
