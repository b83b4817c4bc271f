import { sql, type Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertAttempts } from "../src/repos/attempts.ts";
import { appendEvents } from "../src/repos/events.ts";
import { lastFailureOn, lastRetryNow, makeSystemDueNow, redeliverMessage } from "../src/repos/manual-delivery.ts";
import type { Database } from "../src/schema.ts";
import { freshDatabase } from "./helpers.ts";
import { CVR, minute, seedStructure, uuidAt, virkMessage } from "./virk-fixtures.ts";

const NOW = minute(0);
const WALL = "2026-11-27T09:00:00.000Z";

describe("manual delivery repositories", () => {
  let db: Kysely<Database>;
  beforeEach(async () => {
    db = await freshDatabase();
    await seedStructure(db);
  });
  afterEach(() => db.destroy());

  /** Queued push messages on rs_a, message i next due i minutes from now (0 = due already). */
  async function queued(n: number, o: { claimedUntil?: (i: number) => string | null } = {}) {
    for (let i = 0; i < n; i++) {
      await virkMessage(db, { uuid: uuidAt(i), receivedAt: NOW, state: "queued" });
      await db
        .updateTable("messages")
        .set({ next_attempt_at: minute(i), claimed_until: o.claimedUntil?.(i) ?? null })
        .where("uuid", "=", uuidAt(i))
        .execute();
    }
  }
  const dueAt = async () =>
    (await db.selectFrom("messages").select(["uuid", "next_attempt_at"]).orderBy("uuid").execute()).map((m) => m.next_attempt_at);

  it("makeSystemDueNow makes at most `limit` due, oldest due first, says whether more remain, and leaves pushes in flight alone", async () => {
    // m03 is claimed until after the wall clock: its push is in flight.
    await queued(6, { claimedUntil: (i) => (i === 3 ? "2026-11-27T09:05:00.000Z" : null) });
    expect(await makeSystemDueNow(db, "rs_a", { now: NOW, leaseNow: WALL, limit: 2 })).toEqual({ madeDue: 2, more: true });
    expect(await dueAt()).toEqual([NOW, NOW, NOW, minute(3), minute(4), minute(5)]);
    expect(await makeSystemDueNow(db, "rs_a", { now: NOW, leaseNow: WALL, limit: 2 })).toEqual({ madeDue: 2, more: false });
    expect(await dueAt()).toEqual([NOW, NOW, NOW, minute(3), NOW, NOW]);
    expect(await makeSystemDueNow(db, "rs_a", { now: NOW, leaseNow: WALL, limit: 2 })).toEqual({ madeDue: 0, more: false });
    // Another system's post is not touched.
    expect(await makeSystemDueNow(db, "rs_x", { now: NOW, leaseNow: WALL, limit: 2 })).toEqual({ madeDue: 0, more: false });
  });

  it("redeliverMessage writes only while the message is still in the guard state at that system", async () => {
    await virkMessage(db, { uuid: "d1", receivedAt: NOW, state: "delivered" });
    await db
      .updateTable("messages")
      .set({ first_failed_at: minute(-60), attempt_count: 3 })
      .where("uuid", "=", "d1")
      .execute();
    expect(await redeliverMessage(db, "d1", "rs_a", "queued", { state: "queued", nextAttemptAt: NOW })).toBe(false);
    expect(await redeliverMessage(db, "d1", "rs_b", "delivered", { state: "queued", nextAttemptAt: NOW })).toBe(false);
    expect(
      await redeliverMessage(db, "d1", "rs_a", "delivered", {
        state: "queued",
        nextAttemptAt: NOW,
        queuedAt: NOW,
        firstFailedAt: null,
        claimToken: null,
        claimedUntil: null,
      }),
    ).toBe(true);
    expect(
      await db
        .selectFrom("messages")
        .select(["state", "next_attempt_at", "queued_at", "first_failed_at", "attempt_count"])
        .where("uuid", "=", "d1")
        .executeTakeFirst(),
    ).toEqual({ state: "queued", next_attempt_at: NOW, queued_at: NOW, first_failed_at: null, attempt_count: 3 });
  });

  it("lastFailureOn and lastRetryNow are one seek each through their own index", async () => {
    await virkMessage(db, { uuid: "f1", receivedAt: NOW, state: "queued" });
    expect(await lastFailureOn(db, "rs_a")).toBeUndefined();
    await insertAttempts(db, [
      {
        messageUuid: "f1",
        recipientSystemId: "rs_a",
        attemptNo: 1,
        at: minute(1),
        outcome: "failed",
        statusCode: null,
        error: "timeout",
        durationMs: 15_000,
      },
      {
        messageUuid: "f1",
        recipientSystemId: "rs_a",
        attemptNo: 2,
        at: minute(2),
        outcome: "failed",
        statusCode: 401,
        error: "http_401",
        durationMs: 8,
      },
      {
        messageUuid: "f1",
        recipientSystemId: "rs_a",
        attemptNo: 3,
        at: minute(3),
        outcome: "delivered",
        statusCode: 204,
        error: null,
        durationMs: 5,
      },
    ]);
    expect(await lastFailureOn(db, "rs_a")).toEqual({
      message_uuid: "f1",
      at: minute(2),
      status_code: 401,
      error: "http_401",
      duration_ms: 8,
    });
    expect(await lastRetryNow(db, "rs_a")).toBeUndefined();
    await appendEvents(db, [
      { authorityCvr: CVR, at: minute(1), type: "retry_now", recipientSystemId: "rs_a", data: { madeDue: 1 } },
      { authorityCvr: CVR, at: minute(2), type: "retry_now", recipientSystemId: "rs_a", data: { madeDue: 2 } },
    ]);
    expect(await lastRetryNow(db, "rs_a")).toMatchObject({ at: minute(2), data: JSON.stringify({ madeDue: 2 }) });

    const plan = async (q: string) =>
      (await sql.raw(`EXPLAIN QUERY PLAN ${q}`).execute(db)).rows.map((r) => (r as { detail: string }).detail).join(" | ");
    expect(
      await plan("SELECT * FROM attempts WHERE recipient_system_id = 'rs_a' AND outcome = 'failed' ORDER BY id DESC LIMIT 1"),
    ).toContain("attempts_failed_by_system");
    expect(await plan("SELECT * FROM events WHERE recipient_system_id = 'rs_a' AND type = 'retry_now' ORDER BY id DESC LIMIT 1")).toContain(
      "events_retry_now",
    );
  });
});
