// The receipts trigger (migration 2026-12-01-030): an event makes a receipt exactly when core's
// RECEIPT_EVENT_TYPES says so, only for post a sender key sent, in the same write as the event.
import { EVENT_TYPE } from "@postvej/core/delivery";
import { RECEIPT_EVENT_TYPES } from "@postvej/core/lifecycle";
import { describe, expect, it } from "vitest";
import { appendEvents } from "../src/repos/events.ts";
import { inTransaction } from "../src/repos/db-handle.ts";
import { insertReceiptEndpoint } from "../src/repos/sender-receipts.ts";
import { freshDatabase } from "./helpers.ts";
import { CVR, minute, seedStructure, virkMessage } from "./virk-fixtures.ts";

const key = (id: string, role: "sender" | "admin") => ({
  id,
  authority_cvr: CVR,
  role,
  recipient_system_id: null,
  label: id,
  key_hash: `hash-${id}`,
  created_at: minute(0),
  revoked_at: null,
});

describe("the sender receipts trigger", () => {
  it("makes one receipt per event of exactly core's types, for sender-key post only, atomically with the event", async () => {
    const db = await freshDatabase();
    await seedStructure(db);
    await db
      .insertInto("api_keys")
      .values([key("key_s", "sender"), key("key_a", "admin")])
      .execute();
    for (const [uuid, sender] of [
      ["m01", "key_s"],
      ["m02", "key_a"],
      ["m03", null],
    ] as const) {
      await virkMessage(db, { uuid, receivedAt: minute(1), state: "queued" });
      await db.updateTable("messages").set({ sender_key_id: sender }).where("uuid", "=", uuid).execute();
    }
    const receipts = () => db.selectFrom("sender_receipts").selectAll().orderBy("seq").execute();
    for (const type of Object.values(EVENT_TYPE)) {
      const before = (await receipts()).length;
      for (const uuid of ["m01", "m02", "m03"])
        await appendEvents(db, [{ authorityCvr: CVR, at: minute(2), type, messageUuid: uuid, recipientSystemId: "rs_a" }]);
      const made = (await receipts()).slice(before);
      expect(
        made.map((r) => r.message_uuid),
        type,
      ).toEqual((RECEIPT_EVENT_TYPES as readonly string[]).includes(type) ? ["m01"] : []);
    }
    const all = await receipts();
    expect(all).toHaveLength(RECEIPT_EVENT_TYPES.length);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    // Made while the key had no endpoint: in the feed, not to be pushed.
    expect(all.every((r) => r.sender_key_id === "key_s" && r.next_push_at === null && r.push_attempts === 0)).toBe(true);

    // With an endpoint, a receipt is due at once (its event's time); a rolled-back write leaves neither.
    await insertReceiptEndpoint(db, {
      senderKeyId: "key_s",
      authorityCvr: CVR,
      url: "https://r.example.dk/",
      signingSecret: "s",
      at: minute(3),
    });
    await appendEvents(db, [{ authorityCvr: CVR, at: minute(4), type: "delivered", messageUuid: "m01" }]);
    expect((await receipts()).at(-1)).toMatchObject({ next_push_at: minute(4), at: minute(4) });
    await expect(
      inTransaction(db, async (tx) => {
        await appendEvents(tx, [{ authorityCvr: CVR, at: minute(5), type: "recalled", messageUuid: "m01" }]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await receipts()).toHaveLength(RECEIPT_EVENT_TYPES.length + 1);
    await db.destroy();
  });
});
