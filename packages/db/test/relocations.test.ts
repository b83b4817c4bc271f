import { relocate } from "@postvej/core/lifecycle";
import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  applyRelocationBatch,
  claimRelocationItems,
  claimRunningRelocations,
  closeRelocation,
  findRelocation,
  insertRelocation,
  insertSkippedItems,
  listRelocationItems,
  listRelocations,
  movedByTarget,
  pendingItems,
  addRelocationCounts,
} from "../src/repos/relocations.ts";
import type { Database } from "../src/schema.ts";
import { freshDatabase } from "./helpers.ts";
import { CVR, minute, OTHER, seedStructure, uuidAt, virkMessage } from "./virk-fixtures.ts";

const AT = "2026-11-27T12:00:00.000Z";
const actor = { kind: "api_key" as const, id: "key_1", name: "admin" };

async function start(db: Kysely<Database>, id: string, filter: Parameters<typeof claimRelocationItems>[1]["filter"], createdAt = AT) {
  return db.transaction().execute(async (tx) => {
    await insertRelocation(tx, {
      id,
      authorityCvr: CVR,
      actor,
      createdAt,
      selection: filter,
      targetContactPointId: "cp_a",
      preferOriginal: false,
    });
    const c = await claimRelocationItems(tx, { relocationId: id, cvr: CVR, filter, at: createdAt });
    await addRelocationCounts(tx, id, { total: c.pending + c.alreadyMoving, skipped: c.alreadyMoving });
    return c;
  });
}

/** Moves the next batch: even items to cp_a (push), odd ones to cp_b (pull). */
async function batch(db: Kysely<Database>, id: string, limit: number) {
  return db.transaction().execute(async (tx) => {
    const items = await pendingItems(tx, id, limit);
    const pick = (odd: number) => items.filter((_, i) => i % 2 === odd).map((i) => ({ id: i.id, uuid: i.message_uuid }));
    return applyRelocationBatch(tx, {
      relocationId: id,
      cvr: CVR,
      at: AT,
      skipped: [],
      moves: [
        { contactPointId: "cp_a", systemId: "rs_a", move: relocate("push", new Date(AT)), items: pick(0) },
        { contactPointId: "cp_b", systemId: "rs_b", move: relocate("pull", new Date(AT)), items: pick(1) },
      ],
    });
  });
}

const states = async (db: Kysely<Database>) =>
  Object.fromEntries(
    (await db.selectFrom("messages").select(["uuid", "state"]).where("authority_cvr", "=", CVR).execute()).map((m) => [m.uuid, m.state]),
  );

describe("relocations repository", () => {
  let db: Kysely<Database>;
  beforeEach(async () => {
    db = await freshDatabase();
    await seedStructure(db);
    for (let i = 0; i < 10; i++) await virkMessage(db, { uuid: uuidAt(i), receivedAt: minute(i), cp: i < 5 ? "cp_a" : null });
    await virkMessage(db, { uuid: "x1", receivedAt: minute(1), cvr: OTHER });
  });
  afterEach(async () => {
    await db.destroy();
  });

  it("claims each Virk message once: a second relocation gets already_moving for the overlap", async () => {
    expect(await start(db, "rel_1", { receivedTo: minute(5) })).toEqual({ pending: 6, alreadyMoving: 0 });
    expect(await start(db, "rel_2", {}, "2026-11-27T12:00:01.000Z")).toEqual({ pending: 4, alreadyMoving: 6 });
    const items2 = await listRelocationItems(db, "rel_2", { limit: 50 });
    expect(items2.filter((i) => i.outcome === "skipped").map((i) => [i.message_uuid, i.reason])).toEqual(
      ["m00", "m01", "m02", "m03", "m04", "m05"].map((u) => [u, "already_moving"]),
    );
    expect(items2.filter((i) => i.outcome === "pending").map((i) => i.message_uuid)).toEqual(["m06", "m07", "m08", "m09"]);
    const first = (await listRelocationItems(db, "rel_1", { limit: 1 }))[0]!;
    expect(first).toMatchObject({
      message_uuid: "m00",
      label: "Brev m00",
      sender_id: "11111111",
      received_at: minute(0),
      from_contact_point_id: "cp_a",
      outcome: "pending",
    });
    expect(await findRelocation(db, CVR, "rel_2")).toMatchObject({
      total: 10,
      skipped: 6,
      moved: 0,
      state: "running",
      target_contact_point_name: "Kontakt cp_a",
    });
    expect(await findRelocation(db, OTHER, "rel_2")).toBeUndefined();
  });

  it("moves batches atomically into delivery, with items, events and counters", async () => {
    await start(db, "rel_1", {});
    expect(await batch(db, "rel_1", 4)).toEqual({ moved: 4, skipped: 0 });
    const m0 = await db.selectFrom("messages").selectAll().where("uuid", "=", "m00").executeTakeFirstOrThrow();
    expect(m0).toMatchObject({
      state: "queued",
      custodian_kind: "recipient_system",
      custodian_system_id: "rs_a",
      route_contact_point_id: "cp_a",
      route_reason: "relocated",
      next_attempt_at: AT,
    });
    const m1 = await db.selectFrom("messages").selectAll().where("uuid", "=", "m01").executeTakeFirstOrThrow();
    expect(m1).toMatchObject({ state: "queued", custodian_system_id: "rs_b", next_attempt_at: null });
    // a message that left Virk meanwhile is reported, not moved
    await db.updateTable("messages").set({ state: "delivered" }).where("uuid", "=", "m04").execute();
    expect(await batch(db, "rel_1", 100)).toEqual({ moved: 5, skipped: 1 });
    expect(await pendingItems(db, "rel_1", 10)).toEqual([]);
    expect(await findRelocation(db, CVR, "rel_1")).toMatchObject({ total: 10, moved: 9, skipped: 1 });
    const items = await listRelocationItems(db, "rel_1", { limit: 50 });
    expect(items.find((i) => i.message_uuid === "m04")).toMatchObject({ outcome: "skipped", reason: "not_in_virk", at: AT });
    expect(items.find((i) => i.message_uuid === "m01")).toMatchObject({
      outcome: "moved",
      to_contact_point_id: "cp_b",
      to_recipient_system_id: "rs_b",
      to_contact_point_name: "Kontakt cp_b",
      at: AT,
    });
    const relocated = await db
      .selectFrom("events")
      .select(["message_uuid"])
      .where("type", "=", "relocated")
      .orderBy("message_uuid")
      .execute();
    expect(relocated.map((e) => e.message_uuid)).toEqual(["m00", "m01", "m02", "m03", "m05", "m06", "m07", "m08", "m09"]);
    const e1 = await db
      .selectFrom("events")
      .selectAll()
      .where("type", "=", "relocated")
      .where("message_uuid", "=", "m01")
      .executeTakeFirstOrThrow();
    expect(e1).toMatchObject({ authority_cvr: CVR, at: AT, recipient_system_id: "rs_b" });
    expect(JSON.parse(e1.data)).toEqual({ relocationId: "rel_1", contactPointId: "cp_b" });
    expect(await movedByTarget(db, "rel_1")).toEqual([
      { contactPointName: "Kontakt cp_a", systemName: "System rs_a", count: 4 },
      { contactPointName: "Kontakt cp_b", systemName: "System rs_b", count: 5 },
    ]);
    // paging items by id
    const page1 = await listRelocationItems(db, "rel_1", { limit: 3 });
    const page2 = await listRelocationItems(db, "rel_1", { limit: 3, afterId: page1.at(-1)!.id });
    expect(page2[0]!.id).toBeGreaterThan(page1.at(-1)!.id);
    expect(await listRelocationItems(db, "rel_1", { limit: 50, outcome: "skipped" })).toHaveLength(1);
  });

  it("a batch that fails half-way leaves everything as it was; the retry moves each message exactly once", async () => {
    await start(db, "rel_1", {});
    // A real failure inside the transaction: the 3rd relocated event insert aborts.
    await sql`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.type = 'relocated' AND NEW.message_uuid = 'm03' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`.execute(
      db,
    );
    await expect(batch(db, "rel_1", 6)).rejects.toThrow(/disk on fire/);
    expect(Object.values(await states(db)).every((s) => s === "in_virk")).toBe(true);
    expect(await pendingItems(db, "rel_1", 50)).toHaveLength(10);
    expect(await db.selectFrom("events").select("id").where("type", "=", "relocated").execute()).toHaveLength(0);
    expect(await findRelocation(db, CVR, "rel_1")).toMatchObject({ moved: 0, skipped: 0 });
    await sql`DROP TRIGGER boom`.execute(db);
    expect(await batch(db, "rel_1", 6)).toEqual({ moved: 6, skipped: 0 });
    expect(await batch(db, "rel_1", 6)).toEqual({ moved: 4, skipped: 0 });
    expect(await batch(db, "rel_1", 6)).toEqual({ moved: 0, skipped: 0 });
    expect(Object.values(await states(db)).every((s) => s === "queued")).toBe(true);
    const perMessage = await db
      .selectFrom("relocation_items")
      .select((eb) => ["message_uuid", eb.fn.countAll<number>().as("n")])
      .groupBy("message_uuid")
      .execute();
    expect(perMessage.every((r) => Number(r.n) === 1)).toBe(true);
    const events = await db
      .selectFrom("events")
      .select((eb) => ["message_uuid", eb.fn.countAll<number>().as("n")])
      .where("type", "=", "relocated")
      .groupBy("message_uuid")
      .execute();
    expect(events).toHaveLength(10);
    expect(events.every((r) => Number(r.n) === 1)).toBe(true);
  });

  it("stopping turns the rest into skipped `stopped`, leaves it in Virk, and frees the messages for another move", async () => {
    await start(db, "rel_1", {});
    await batch(db, "rel_1", 4);
    expect(await db.transaction().execute((tx) => closeRelocation(tx, "rel_1", "stopped", AT))).toBe(true);
    expect(await db.transaction().execute((tx) => closeRelocation(tx, "rel_1", "finished", AT))).toBe(false);
    expect(await findRelocation(db, CVR, "rel_1")).toMatchObject({ state: "stopped", total: 10, moved: 4, skipped: 6, finished_at: AT });
    const s = await states(db);
    expect(Object.values(s).filter((x) => x === "in_virk")).toHaveLength(6);
    expect((await listRelocationItems(db, "rel_1", { limit: 50, outcome: "skipped" })).every((i) => i.reason === "stopped")).toBe(true);
    expect(await start(db, "rel_2", {}, "2026-11-27T13:00:00.000Z")).toEqual({ pending: 6, alreadyMoving: 0 });
  });

  it("records unclaimable selections, lists newest first, and leases running jobs", async () => {
    await start(db, "rel_1", { uuids: ["m00"] }, "2026-11-27T10:00:00.000Z");
    await start(db, "rel_2", { uuids: ["m01"] }, "2026-11-27T11:00:00.000Z");
    await start(db, "rel_3", { uuids: ["m02"] }, "2026-11-27T11:00:00.000Z");
    await insertSkippedItems(db, "rel_3", [{ uuid: "nope", reason: "not_in_virk" }], AT);
    expect((await listRelocationItems(db, "rel_3", { limit: 5 })).map((i) => [i.message_uuid, i.outcome, i.reason])).toEqual([
      ["m02", "pending", null],
      ["nope", "skipped", "not_in_virk"],
    ]);
    const p1 = await listRelocations(db, CVR, { limit: 2 });
    expect(p1.map((r) => r.id)).toEqual(["rel_3", "rel_2"]);
    const p2 = await listRelocations(db, CVR, { limit: 2, before: { createdAt: p1[1]!.created_at, id: p1[1]!.id } });
    expect(p2.map((r) => r.id)).toEqual(["rel_1"]);
    expect(await listRelocations(db, OTHER, { limit: 5 })).toEqual([]);
    const lease = { leaseNow: AT, leaseUntil: "2026-11-27T12:05:00.000Z", limit: 2 };
    expect((await claimRunningRelocations(db, { ...lease, token: "a" })).map((r) => r.id)).toEqual(["rel_1", "rel_2"]);
    expect((await claimRunningRelocations(db, { ...lease, token: "b" })).map((r) => r.id)).toEqual(["rel_3"]);
    expect(await claimRunningRelocations(db, { ...lease, token: "c" })).toEqual([]);
    expect(
      (await claimRunningRelocations(db, { ...lease, leaseNow: "2026-11-27T12:06:00.000Z", token: "d" })).map((r) => r.claim_token),
    ).toEqual(["d", "d"]);
  });
});
