import { type Database, lastDigestAt } from "@postvej/db";
import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { virkDigestKey } from "@postvej/core/notify";
import { queueVirkDigests } from "../src/jobs/virk-digest.ts";
import { mailTestDb, seedAuthority } from "./support/mail-fixtures.ts";

const A = "29189846";
const B = "12345674";
const C = "11111111";
const t = (hhmm: string) => new Date(`2026-11-27T${hhmm}:00.000Z`);

async function landed(db: Kysely<Database>, cvr: string, hhmm: string, uuid: string, type = "landed_in_virk") {
  await db
    .insertInto("events")
    .values({ authority_cvr: cvr, at: t(hhmm).toISOString(), type, message_uuid: uuid, recipient_system_id: null, data: "{}" })
    .execute();
}

async function digests(db: Kysely<Database>, cvr: string) {
  const rows = await db
    .selectFrom("outbox")
    .selectAll()
    .where("authority_cvr", "=", cvr)
    .where("template", "=", "virk_digest")
    .orderBy("queued_at")
    .execute();
  return rows.map((r) => ({ ...r, to: JSON.parse(r.to_addresses) as string[] }));
}

describe("queueVirkDigests", () => {
  let db: Kysely<Database>;
  beforeEach(async () => {
    db = await mailTestDb();
    // three systems, two sharing a business contact; one of them deactivated
    await seedAuthority(db, A, "Ærø Kommune", ["post@aeroe.example", "sager@aeroe.example", "post@aeroe.example"]);
    await seedAuthority(db, B, "Region Test", ["region@test.example"]);
    await seedAuthority(db, C, "Uden Systemer", []);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it("queues one digest to the distinct business contacts, counting the messages landed", async () => {
    await landed(db, A, "10:01", "m1");
    await landed(db, A, "10:02", "m2");
    await landed(db, A, "10:03", "m3");
    await landed(db, A, "10:04", "m9", "delivered"); // other events do not count
    expect(await queueVirkDigests({ db, now: t("10:05"), portalUrl: "https://portal.aeroe.example/" })).toEqual({ queued: 1 });
    const [d] = await digests(db, A);
    expect(d!.to).toEqual(["post@aeroe.example", "sager@aeroe.example"]);
    expect(d!.dedupe_key).toBe(virkDigestKey(A, null));
    expect(d!.recipient_system_id).toBeNull();
    expect(d!.subject).toContain("3 nye meddelelser");
    expect(d!.subject).toContain("Ærø Kommune");
    expect(d!.body_text).toContain("https://portal.aeroe.example/");
    expect(d!.body_text).not.toMatch(/\d{10}/);
    expect(await lastDigestAt(db, A)).toBe(t("10:05").toISOString());
    // B and C had nothing land
    expect(await digests(db, B)).toHaveLength(0);
  });

  it("sends at most one digest an hour and counts only what landed since the last one", async () => {
    await landed(db, A, "10:01", "m1");
    expect((await queueVirkDigests({ db, now: t("10:05") })).queued).toBe(1);
    await landed(db, A, "10:20", "m2");
    await landed(db, A, "10:40", "m3");
    expect((await queueVirkDigests({ db, now: t("10:30") })).queued).toBe(0);
    expect((await queueVirkDigests({ db, now: t("10:59") })).queued).toBe(0);
    expect((await queueVirkDigests({ db, now: t("11:04") })).queued).toBe(0); // a new clock hour, but not an hour yet
    expect(await digests(db, A)).toHaveLength(1);
    expect((await queueVirkDigests({ db, now: t("11:05") })).queued).toBe(1);
    const all = await digests(db, A);
    expect(all).toHaveLength(2);
    expect(all[1]!.subject).toMatch(/^2 nye meddelelser/);
    // since the last digest, written once (Danish time)
    expect(all[1]!.body_text).toContain("Den 27. november 2026 mellem kl. 11.05 og 12.05 er der kommet 2 nye meddelelser");
    // nothing new: no digest, however many ticks
    expect((await queueVirkDigests({ db, now: t("12:00") })).queued).toBe(0);
    expect((await queueVirkDigests({ db, now: t("13:00") })).queued).toBe(0);
    await landed(db, A, "13:10", "m4");
    expect((await queueVirkDigests({ db, now: t("13:11") })).queued).toBe(1);
    expect((await digests(db, A)).at(-1)!.subject).toMatch(/^1 ny meddelelse /);
  });

  it("counts each message once, ignores events after now, and handles several authorities", async () => {
    await landed(db, A, "10:01", "m1");
    await landed(db, A, "10:02", "m1"); // the same message landing twice (relocated back) counts once
    await landed(db, A, "10:30", "m2"); // after `now`
    await landed(db, B, "10:03", "r1");
    await landed(db, B, "10:04", "r2");
    expect(await queueVirkDigests({ db, now: t("10:10") })).toEqual({ queued: 2 });
    expect((await digests(db, A))[0]!.subject).toMatch(/^1 ny meddelelse /);
    expect((await digests(db, B))[0]!.subject).toMatch(/^2 nye meddelelser/);
    expect((await digests(db, B))[0]!.to).toEqual(["region@test.example"]);
    // the later event is counted an hour later
    expect((await queueVirkDigests({ db, now: t("11:10") })).queued).toBe(1);
    expect((await digests(db, A))[1]!.subject).toMatch(/^1 ny meddelelse /);
  });

  it("waits for an authority with no recipient system to have someone to tell", async () => {
    await landed(db, C, "10:01", "c1");
    expect(await queueVirkDigests({ db, now: t("10:05") })).toEqual({ queued: 0 });
    expect(await digests(db, C)).toHaveLength(0);
  });

  it("two ticks at once queue one digest", async () => {
    await landed(db, A, "10:01", "m1");
    const results = await Promise.all([queueVirkDigests({ db, now: t("10:05") }), queueVirkDigests({ db, now: t("10:05") })]);
    expect(results.reduce((n, r) => n + r.queued, 0)).toBe(1);
    expect(await digests(db, A)).toHaveLength(1);
  });

  it("two ticks either side of an hour boundary queue one digest", async () => {
    await landed(db, A, "10:01", "m1");
    const results = await Promise.all([queueVirkDigests({ db, now: t("10:59") }), queueVirkDigests({ db, now: t("11:00") })]);
    expect(results.reduce((n, r) => n + r.queued, 0)).toBe(1);
    expect(await digests(db, A)).toHaveLength(1);
  });
});
