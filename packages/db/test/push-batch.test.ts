import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { openNodeDatabase } from "../src/client-node.ts";
import { migrateToLatest } from "../src/migrate.ts";
import { recordPushBatch, type PushBatch } from "../src/repos/push-batch.ts";
import type { Database } from "../src/schema.ts";
import { freshDatabase } from "./helpers.ts";
import { startSqld, type Sqld } from "./sqld.ts";
import { CVR, seedStructure, virkMessage } from "./virk-fixtures.ts";

const T = "2026-12-01T09:00:00.000Z";

/** Two queued messages at rs_a, claimed under `token`. */
async function claimedPair(db: Kysely<Database>, token: string, prefix: string): Promise<string[]> {
  const uuids = [`${prefix}-1`, `${prefix}-2`];
  for (const uuid of uuids) {
    await virkMessage(db, { uuid, receivedAt: T, state: "queued" });
    await db
      .updateTable("messages")
      .set({ claim_token: token, claimed_until: "2999-01-01T00:00:00.000Z" })
      .where("uuid", "=", uuid)
      .execute();
  }
  return uuids;
}

function deliveredBatch(uuids: string[], token: string): PushBatch {
  return {
    attempts: uuids.map((u) => ({
      messageUuid: u,
      recipientSystemId: "rs_a",
      attemptNo: 1,
      at: T,
      outcome: "delivered",
      statusCode: 204,
      error: null,
      durationMs: 3,
    })),
    outcomes: [
      {
        token,
        rows: uuids.map((uuid) => ({
          uuid,
          next: {
            state: "delivered",
            deliveredAt: T,
            lastAttemptAt: T,
            attemptCount: 1,
            nextAttemptAt: null,
            receiptStatus: null,
            receiptError: null,
          },
        })),
      },
    ],
    clocks: [{ systemId: "rs_a", write: { lastDeliveredAt: T, failingSince: null } }],
    events: uuids.map((u) => ({ authorityCvr: CVR, at: T, type: "delivered", messageUuid: u, recipientSystemId: "rs_a" })),
  };
}

const stateOf = async (db: Kysely<Database>, uuids: string[]) => ({
  messages: await db.selectFrom("messages").select(["state", "claim_token"]).where("uuid", "in", uuids).orderBy("uuid").execute(),
  attempts: (await db.selectFrom("attempts").select("id").where("message_uuid", "in", uuids).execute()).length,
  events: (await db.selectFrom("events").select("id").where("message_uuid", "in", uuids).where("type", "=", "delivered").execute()).length,
  lastDelivered: (await db.selectFrom("recipient_systems").select("last_delivered_at").where("id", "=", "rs_a").executeTakeFirstOrThrow())
    .last_delivered_at,
});

describe.each([
  ["an embedded file", "file"],
  ["sqld", "sqld"],
] as const)("recordPushBatch on %s", (_name, kind) => {
  let db: Kysely<Database>;
  let sqld: Sqld | undefined;
  beforeAll(async () => {
    if (kind === "file") db = await freshDatabase();
    else {
      sqld = await startSqld();
      db = await openNodeDatabase(sqld.url);
      await migrateToLatest(db);
    }
    await seedStructure(db);
  }, 30_000);
  afterAll(async () => {
    await db.destroy();
    await sqld?.stop();
  });

  it("writes attempts, outcomes, clocks and events at once while every claim is held", async () => {
    const uuids = await claimedPair(db, "tok-held", "held");
    expect(await recordPushBatch(db, deliveredBatch(uuids, "tok-held"))).toBe(true);
    expect(await stateOf(db, uuids)).toEqual({
      messages: [
        { state: "delivered", claim_token: null },
        { state: "delivered", claim_token: null },
      ],
      attempts: 2,
      events: 2,
      lastDelivered: T,
    });
  });

  it("changes nothing and answers false when one claim was lost meanwhile", async () => {
    await db.updateTable("recipient_systems").set({ last_delivered_at: null }).where("id", "=", "rs_a").execute();
    const uuids = await claimedPair(db, "tok-mine", "lost");
    await db.updateTable("messages").set({ claim_token: "tok-other" }).where("uuid", "=", uuids[1]!).execute();
    expect(await recordPushBatch(db, deliveredBatch(uuids, "tok-mine"))).toBe(false);
    expect(await stateOf(db, uuids)).toEqual({
      messages: [
        { state: "queued", claim_token: "tok-mine" },
        { state: "queued", claim_token: "tok-other" },
      ],
      attempts: 0,
      events: 0,
      lastDelivered: null,
    });
  });
});
