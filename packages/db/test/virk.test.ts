import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countVirkMessages, findVirkMessage, listVirkMessages, virkMessageBodies, type VirkFilter } from "../src/repos/virk.ts";
import type { Database } from "../src/schema.ts";
import { freshDatabase } from "./helpers.ts";
import { CVR, minute, OTHER, seedStructure, uuidAt, virkMessage } from "./virk-fixtures.ts";

describe("Virk mailbox repository", () => {
  let db: Kysely<Database>;
  beforeEach(async () => {
    db = await freshDatabase();
    await seedStructure(db);
    for (let i = 0; i < 12; i++) {
      await virkMessage(db, {
        uuid: uuidAt(i),
        receivedAt: minute(i),
        cp: i % 3 === 0 ? "cp_a" : i % 3 === 1 ? "cp_gone" : null,
        sender: i < 6 ? "11111111" : "22222222",
      });
    }
    await virkMessage(db, { uuid: "delivered", receivedAt: minute(3), state: "delivered" });
    await virkMessage(db, { uuid: "other-authority", receivedAt: minute(3), cvr: OTHER });
  });
  afterEach(async () => {
    await db.destroy();
  });

  const all = async (f: VirkFilter, limit: number) => {
    const seen: string[] = [];
    let after: { receivedAt: string; uuid: string } | undefined;
    for (;;) {
      const page = await listVirkMessages(db, CVR, f, { limit, ...(after ? { after } : {}) });
      seen.push(...page.map((r) => r.uuid));
      const last = page.at(-1);
      if (page.length < limit || !last) return seen;
      after = { receivedAt: last.received_at, uuid: last.uuid };
    }
  };

  it("lists only the authority's Virk post, newest first, keyset-paged without gaps or repeats", async () => {
    const expected = Array.from({ length: 12 }, (_, i) => uuidAt(11 - i));
    for (const limit of [1, 5, 12, 50]) expect(await all({}, limit)).toEqual(expected);
    expect(await countVirkMessages(db, CVR, {})).toBe(12);
    expect(await countVirkMessages(db, OTHER, {})).toBe(1);
  });

  it("filters by window (inclusive), original contact point, sender and uuids, and counts the same", async () => {
    const cases: [VirkFilter, string[]][] = [
      [{ receivedFrom: minute(3), receivedTo: minute(5) }, ["m05", "m04", "m03"]],
      [{ originalContactPointId: "cp_a" }, ["m09", "m06", "m03", "m00"]],
      [{ senderId: "22222222", originalContactPointId: "cp_a" }, ["m09", "m06"]],
      [{ uuids: ["m01", "delivered", "other-authority", "nope"] }, ["m01"]],
      [{ uuids: [] }, []],
    ];
    for (const [f, uuids] of cases) {
      expect(await all(f, 2)).toEqual(uuids);
      expect(await countVirkMessages(db, CVR, f)).toBe(uuids.length);
    }
  });

  it("carries the original contact point's name and the latest landing", async () => {
    await db
      .insertInto("events")
      .values({
        authority_cvr: CVR,
        at: minute(30),
        type: "landed_in_virk",
        message_uuid: "m00",
        recipient_system_id: null,
        data: JSON.stringify({ reason: "system_deactivated" }),
      })
      .execute();
    const m0 = await findVirkMessage(db, CVR, "m00");
    expect(m0).toMatchObject({
      uuid: "m00",
      label: "Brev m00",
      sender_id: "11111111",
      received_at: minute(0),
      original_contact_point_id: "cp_a",
      original_contact_point_name: "Kontakt cp_a",
      landed_at: minute(30),
    });
    expect(JSON.parse(m0!.landed_data!)).toEqual({ reason: "system_deactivated" });
    expect(await findVirkMessage(db, CVR, "m01")).toMatchObject({
      original_contact_point_id: "cp_gone",
      original_contact_point_name: null,
      landed_at: minute(1),
    });
    expect(await findVirkMessage(db, CVR, "delivered")).toBeUndefined();
    expect(await findVirkMessage(db, CVR, "other-authority")).toBeUndefined();
    const bodies = await virkMessageBodies(db, CVR, ["m02", "other-authority"]);
    expect([...bodies.keys()]).toEqual(["m02"]);
    expect(new TextDecoder().decode(bodies.get("m02")?.body)).toBe("<x>m02</x>");
    expect(bodies.get("m02")).toMatchObject({ encoding: "identity", sizeBytes: 10 });
  });
});
