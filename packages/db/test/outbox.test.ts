import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  claimDueEmails,
  enqueueEmail,
  lastDigestAt,
  listNotifications,
  markEmailFailed,
  markEmailSent,
  NoRecipientsError,
  renewEmailClaim,
} from "../src/repos/outbox.ts";
import type { Database } from "../src/schema.ts";
import { freshDatabase } from "./helpers.ts";

const CVR = "29189846";
const T0 = "2026-11-27T10:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function email(key: string, now = T0, extra: Partial<Parameters<typeof enqueueEmail>[1]> = {}) {
  return {
    authorityCvr: CVR,
    recipientSystemId: "rs_a",
    template: "warning_day2",
    to: ["t@kommune.dk", "b@kommune.dk"],
    subject: `Advarsel ${key}`,
    text: "Brødtekst",
    dedupeKey: key,
    now,
    ...extra,
  };
}

describe("outbox repository", () => {
  let db: Kysely<Database>;
  beforeEach(async () => {
    db = await freshDatabase();
  });
  afterEach(async () => {
    await db.destroy();
  });

  it("queues once per dedupe key, also inside a transaction", async () => {
    expect(await enqueueEmail(db, email("k1"))).toBe(true);
    expect(await enqueueEmail(db, email("k1", at(5)))).toBe(false);
    await db.transaction().execute(async (tx) => {
      expect(await enqueueEmail(tx, email("k2"))).toBe(true);
      expect(await enqueueEmail(tx, email("k2"))).toBe(false);
    });
    const rows = await db.selectFrom("outbox").selectAll().orderBy("dedupe_key").execute();
    expect(rows.map((r) => r.dedupe_key)).toEqual(["k1", "k2"]);
    expect(rows[0]!.id).toMatch(/^ntf_[0-9a-z]{16}$/);
    expect(rows[0]!.next_attempt_at).toBe(T0);
    expect(rows[0]!.queued_at).toBe(T0);
    expect(JSON.parse(rows[0]!.to_addresses)).toEqual(["t@kommune.dk", "b@kommune.dk"]);
  });

  it("rolls a queued e-mail back with its transaction", async () => {
    await expect(
      db.transaction().execute(async (tx) => {
        await enqueueEmail(tx, email("k1"));
        throw new Error("cause failed");
      }),
    ).rejects.toThrow("cause failed");
    expect(await db.selectFrom("outbox").select("id").execute()).toHaveLength(0);
  });

  it("refuses an e-mail without recipients and deduplicates addresses", async () => {
    await expect(enqueueEmail(db, email("k0", T0, { to: [" ", ""] }))).rejects.toThrow(NoRecipientsError);
    await enqueueEmail(db, email("k1", T0, { to: ["a@x.dk", "a@x.dk", "b@x.dk"] }));
    const row = await db.selectFrom("outbox").select("to_addresses").executeTakeFirstOrThrow();
    expect(JSON.parse(row.to_addresses)).toEqual(["a@x.dk", "b@x.dk"]);
  });

  it("claims only due, unsent, unclaimed rows, oldest first, up to the limit", async () => {
    await enqueueEmail(db, email("late", at(10)));
    await enqueueEmail(db, email("b", at(2)));
    await enqueueEmail(db, email("a", at(1)));
    await enqueueEmail(db, email("c", at(3)));
    const first = await claimDueEmails(db, { now: at(5), limit: 2, leaseMs: 60_000, token: "t1" });
    expect(first.map((r) => r.dedupe_key)).toEqual(["a", "b"]);
    expect(first.every((r) => r.claim_token === "t1" && r.claimed_until === at(6))).toBe(true);
    const second = await claimDueEmails(db, { now: at(5), limit: 10, leaseMs: 60_000, token: "t2" });
    expect(second.map((r) => r.dedupe_key)).toEqual(["c"]);
    expect(await claimDueEmails(db, { now: at(5), limit: 10, leaseMs: 60_000, token: "t3" })).toEqual([]);
  });

  it("gives a row to a second claimer only after the first claim's lease ran out", async () => {
    await enqueueEmail(db, email("a"));
    const [row] = await claimDueEmails(db, { now: T0, limit: 5, leaseMs: 120_000, token: "t1" });
    expect(await claimDueEmails(db, { now: at(1), limit: 5, leaseMs: 120_000, token: "t2" })).toHaveLength(0);
    const again = await claimDueEmails(db, { now: at(2), limit: 5, leaseMs: 120_000, token: "t2" });
    expect(again.map((r) => r.id)).toEqual([row!.id]);
    // the first claimer lost it: its late mark does nothing
    expect(await markEmailSent(db, { id: row!.id, token: "t1", now: at(3) })).toBe(false);
    expect(await markEmailSent(db, { id: row!.id, token: "t2", now: at(3) })).toBe(true);
    const stored = await db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(stored.sent_at).toBe(at(3));
    expect(stored.claim_token).toBeNull();
    expect(await claimDueEmails(db, { now: at(100), limit: 5, leaseMs: 1, token: "t3" })).toHaveLength(0);
  });

  it("a drain may send a row only while its claim still holds", async () => {
    await enqueueEmail(db, email("a"));
    const [row] = await claimDueEmails(db, { now: T0, limit: 5, leaseMs: 120_000, token: "t1" });
    expect(await renewEmailClaim(db, { id: row!.id, token: "t1", now: at(1), leaseUntil: at(3) })).toBe(true);
    expect(await renewEmailClaim(db, { id: row!.id, token: "t1", now: at(4), leaseUntil: at(6) })).toBe(false);
    expect(await renewEmailClaim(db, { id: row!.id, token: "t2", now: at(1), leaseUntil: at(3) })).toBe(false);
  });

  it("concurrent claims never hand out the same row twice", async () => {
    for (let i = 0; i < 30; i++) await enqueueEmail(db, email(`k${i}`));
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => claimDueEmails(db, { now: T0, limit: 7, leaseMs: 60_000, token: `t${i}` })),
    );
    const ids = claims.flat().map((r) => r.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it("keeps a failed e-mail with its error and retries it when due", async () => {
    await enqueueEmail(db, email("a"));
    const [row] = await claimDueEmails(db, { now: T0, limit: 5, leaseMs: 60_000, token: "t1" });
    expect(await markEmailFailed(db, { id: row!.id, token: "wrong", now: T0, error: "x", nextAttemptAt: at(1) })).toBe(false);
    expect(await markEmailFailed(db, { id: row!.id, token: "t1", now: T0, error: "550 no", nextAttemptAt: at(1) })).toBe(true);
    const stored = await db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ attempts: 1, last_error: "550 no", next_attempt_at: at(1), claim_token: null, sent_at: null });
    expect(await claimDueEmails(db, { now: at(0.5), limit: 5, leaseMs: 60_000, token: "t2" })).toHaveLength(0);
    expect(await claimDueEmails(db, { now: at(1), limit: 5, leaseMs: 60_000, token: "t2" })).toHaveLength(1);
  });

  it("lists an authority's notifications newest first, keyset-paged", async () => {
    for (let i = 0; i < 5; i++) await enqueueEmail(db, email(`k${i}`, at(i)));
    await enqueueEmail(db, email("other", at(9), { authorityCvr: "11111111" }));
    const [row] = await claimDueEmails(db, { now: at(10), limit: 1, leaseMs: 60_000, token: "t" });
    await markEmailSent(db, { id: row!.id, token: "t", now: at(10) });
    const p1 = await listNotifications(db, CVR, { limit: 2 });
    expect(p1.map((n) => n.subject)).toEqual(["Advarsel k4", "Advarsel k3"]);
    const after = (page: typeof p1) => ({ queuedAt: page.at(-1)!.queuedAt, id: page.at(-1)!.id });
    const p2 = await listNotifications(db, CVR, { limit: 2, before: after(p1) });
    expect(p2.map((n) => n.subject)).toEqual(["Advarsel k2", "Advarsel k1"]);
    const p3 = await listNotifications(db, CVR, { limit: 2, before: after(p2) });
    expect(p3.map((n) => n.subject)).toEqual(["Advarsel k0"]);
    expect(p3[0]).toMatchObject({ status: "sent", sentAt: at(10), attempts: 1, to: ["t@kommune.dk", "b@kommune.dk"] });
    expect(p1[0]).toMatchObject({ status: "queued", template: "warning_day2", recipientSystemId: "rs_a" });
  });

  it("knows when the last Virk digest was queued", async () => {
    expect(await lastDigestAt(db, CVR)).toBeNull();
    await enqueueEmail(db, email("d1", at(1), { template: "virk_digest", recipientSystemId: null }));
    await enqueueEmail(db, email("d2", at(61), { template: "virk_digest", recipientSystemId: null }));
    await enqueueEmail(db, email("w", at(90)));
    expect(await lastDigestAt(db, CVR)).toBe(at(61));
    expect(await lastDigestAt(db, "11111111")).toBeNull();
  });
});
