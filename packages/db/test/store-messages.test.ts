import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { storeNewMessages, toBytes, type NewMessage } from "../src/repos/messages.ts";
import type { Database } from "../src/schema.ts";
import { freshDatabase } from "./helpers.ts";
import { CVR, newVirkRow, seedStructure, virkMessage } from "./virk-fixtures.ts";

const T = "2026-11-27T09:00:00.000Z";

function incoming(uuid: string, body = `<x>${uuid}</x>`): NewMessage {
  return {
    row: newVirkRow(uuid, new TextEncoder().encode(body), T),
    events: [
      { authorityCvr: CVR, at: T, type: "received", messageUuid: uuid, data: { body } },
      { authorityCvr: CVR, at: T, type: "landed_in_virk", messageUuid: uuid },
    ],
  };
}

describe("storeNewMessages", () => {
  let db: Kysely<Database>;
  beforeEach(async () => {
    db = await freshDatabase();
    await seedStructure(db);
  });
  afterEach(() => db.destroy());

  const eventsOf = async (uuid: string) =>
    await db.selectFrom("events").select(["type", "data"]).where("message_uuid", "=", uuid).orderBy("id").execute();
  const bodyOf = async (uuid: string) =>
    new TextDecoder().decode(
      toBytes((await db.selectFrom("message_bodies").select("body").where("uuid", "=", uuid).executeTakeFirstOrThrow()).body),
    );

  it("stores every new message with its events", async () => {
    const group = ["a", "b", "c"].map((u) => incoming(`m-${u}`));
    expect([...(await storeNewMessages(db, group))].sort()).toEqual(["m-a", "m-b", "m-c"]);
    for (const u of ["m-a", "m-b", "m-c"]) {
      expect((await eventsOf(u)).map((e) => e.type)).toEqual(["received", "landed_in_virk"]);
      expect(await bodyOf(u)).toBe(`<x>${u}</x>`);
    }
  });

  it("skips a UUID stored before, with its events, and stores the rest of the group", async () => {
    await virkMessage(db, { uuid: "m-old", receivedAt: "2026-11-26T09:00:00.000Z" });
    const stored = await storeNewMessages(db, [incoming("m-new1"), incoming("m-old", "<x>other bytes</x>"), incoming("m-new2")]);
    expect([...stored].sort()).toEqual(["m-new1", "m-new2"]);
    expect((await eventsOf("m-old")).map((e) => e.type)).toEqual(["landed_in_virk"]);
    expect(await bodyOf("m-old")).toBe("<x>m-old</x>");
    expect((await eventsOf("m-new2")).map((e) => e.type)).toEqual(["received", "landed_in_virk"]);
  });

  it("stores the first of one UUID twice in a group", async () => {
    const stored = await storeNewMessages(db, [incoming("m-twice", "<x>first</x>"), incoming("m-twice", "<x>second</x>")]);
    expect([...stored]).toEqual(["m-twice"]);
    expect(await bodyOf("m-twice")).toBe("<x>first</x>");
    expect((await eventsOf("m-twice")).map((e) => JSON.parse(e.data).body ?? null)).toEqual(["<x>first</x>", null]);
  });

  it("stores nothing of a group whose write fails", async () => {
    const broken = incoming("m-broken");
    (broken.row as { authority_cvr: string | null }).authority_cvr = null; // NOT NULL
    await expect(storeNewMessages(db, [incoming("m-ok"), broken])).rejects.toThrow();
    expect(await db.selectFrom("messages").select("uuid").where("uuid", "in", ["m-ok", "m-broken"]).execute()).toEqual([]);
    expect(await eventsOf("m-ok")).toEqual([]);
  });
});
