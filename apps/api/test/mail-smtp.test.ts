import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderEmail } from "@postvej/core/notify";
import { type Database, enqueueEmail } from "@postvej/db";
import type { Kysely } from "kysely";
import PostalMime from "postal-mime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { drainOutbox } from "../src/jobs/drain-outbox.ts";
import { readMailConfig } from "../src/config.ts";
import { createNodeTransport } from "../src/mail/mail-config.ts";
import type { MailTransport } from "../src/mail/transport.ts";
import { mailTestDb, startSmtpSink } from "./support/mail-fixtures.ts";

const CVR = "29189846";
const T0 = new Date("2026-11-27T10:00:00.000Z");
const later = (ms: number) => new Date(T0.getTime() + ms);
const FROM = "postvej@postvej.test";
const MIN = 60_000;

const warning = renderEmail({
  template: "warning_day2",
  authorityName: "Ærø Kommune",
  authorityCvr: CVR,
  systemName: "ESDH Øst",
  undeliveredCount: 4,
  oldestFailedAt: "2026-11-25T09:00:00Z",
  deactivationAt: "2026-12-02T09:00:00Z",
  portalUrl: "https://portal.aeroe.example/postvej",
});

async function queue(db: Kysely<Database>, key: string, to = ["teknik@aeroe.example", "forretning@aeroe.example"]) {
  expect(
    await enqueueEmail(db, {
      authorityCvr: CVR,
      recipientSystemId: "rs_a",
      template: "warning_day2",
      to,
      subject: warning.subject,
      text: warning.text,
      dedupeKey: key,
      now: T0.toISOString(),
    }),
  ).toBe(true);
}

describe("outbox drain over a real SMTP server", () => {
  let db: Kysely<Database>;
  const cleanups: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    db = await mailTestDb();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await db.destroy();
  });

  async function smtp(opts: Parameters<typeof startSmtpSink>[0] = {}) {
    const sink = await startSmtpSink(opts);
    cleanups.push(sink.close);
    const transport = createNodeTransport(readMailConfig({ POSTVEJ_MAIL_URL: sink.url, POSTVEJ_MAIL_FROM: FROM }));
    cleanups.push(async () => transport.close?.());
    return { sink, transport };
  }

  it("hands the e-mail to the server: recipients, subject, decoded body, Message-ID = outbox id", async () => {
    const { sink, transport } = await smtp();
    await queue(db, "k1");
    expect(await drainOutbox({ db, transport, now: T0, from: FROM })).toEqual({ sent: 1, failed: 0 });
    expect(sink.received).toHaveLength(1);
    const got = sink.received[0]!;
    expect(got.mailFrom).toBe(FROM);
    expect(got.rcptTo).toEqual(["teknik@aeroe.example", "forretning@aeroe.example"]);
    const parsed = await PostalMime.parse(got.raw);
    expect(parsed.subject).toBe(warning.subject);
    expect(parsed.subject).toContain("ESDH Øst");
    expect(parsed.text?.replace(/\r\n/g, "\n").trimEnd()).toBe(warning.text.trimEnd());
    expect(parsed.text).toContain("Ærø Kommune");
    const row = await db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(parsed.messageId).toBe(`<${row.id}@postvej.test>`);
    expect(parsed.headers.find((h) => h.key === "x-postvej-notification-id")?.value).toBe(row.id);
    expect(row).toMatchObject({ sent_at: T0.toISOString(), attempts: 1, claim_token: null, last_error: null });
    // sent rows are never sent again
    expect(await drainOutbox({ db, transport, now: later(24 * 60 * MIN), from: FROM })).toEqual({ sent: 0, failed: 0 });
    expect(sink.received).toHaveLength(1);
  });

  it("keeps a rejected e-mail unsent with attempts counted, backs off, and sends it later", async () => {
    const { sink, transport } = await smtp({ rejectRcpt: () => true });
    await queue(db, "k1");
    expect(await drainOutbox({ db, transport, now: T0, from: FROM })).toEqual({ sent: 0, failed: 1 });
    let row = await db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sent_at: null, attempts: 1, claim_token: null, next_attempt_at: later(1 * MIN).toISOString() });
    expect(row.last_error).toMatch(/550/);
    // not due yet: nothing happens
    expect(await drainOutbox({ db, transport, now: later(30_000), from: FROM })).toEqual({ sent: 0, failed: 0 });
    // second failure backs off 5 minutes
    expect(await drainOutbox({ db, transport, now: later(1 * MIN), from: FROM })).toEqual({ sent: 0, failed: 1 });
    row = await db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 2, next_attempt_at: later(6 * MIN).toISOString() });
    sink.state.rejectRcpt = () => false;
    expect(await drainOutbox({ db, transport, now: later(6 * MIN), from: FROM })).toEqual({ sent: 1, failed: 0 });
    expect(sink.received).toHaveLength(1);
    row = await db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 3, sent_at: later(6 * MIN).toISOString(), last_error: null });
  });

  it("counts an e-mail as sent when the server refuses only some recipients (no second copy for the others)", async () => {
    const { sink, transport } = await smtp({ rejectRcpt: (a) => a.startsWith("teknik@") });
    await queue(db, "k1");
    expect(await drainOutbox({ db, transport, now: T0, from: FROM })).toEqual({ sent: 1, failed: 0 });
    expect(sink.received.map((m) => m.rcptTo)).toEqual([["forretning@aeroe.example"]]);
  });

  it("keeps the e-mail when the server is down and sends it once the server is back", async () => {
    const first = await startSmtpSink();
    const port = first.port;
    await first.close();
    const transport = createNodeTransport(readMailConfig({ POSTVEJ_MAIL_URL: `smtp://127.0.0.1:${port}`, POSTVEJ_MAIL_FROM: FROM }));
    cleanups.push(async () => transport.close?.());
    await queue(db, "k1");
    expect(await drainOutbox({ db, transport, now: T0, from: FROM })).toEqual({ sent: 0, failed: 1 });
    const row = await db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sent_at: null, attempts: 1 });
    expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
    const sink = await startSmtpSink({ port });
    cleanups.unshift(sink.close); // closed after the transport's pooled connection

    expect(await drainOutbox({ db, transport, now: later(1 * MIN), from: FROM })).toEqual({ sent: 1, failed: 0 });
    expect(sink.received).toHaveLength(1);
  });

  it("two concurrent drains send every row exactly once", async () => {
    const { sink, transport } = await smtp();
    for (let i = 0; i < 24; i++) await queue(db, `k${i}`, [`r${i}@aeroe.example`]);
    const reports = await Promise.all([
      drainOutbox({ db, transport, now: T0, from: FROM, limit: 50 }),
      drainOutbox({ db, transport, now: T0, from: FROM, limit: 50 }),
      drainOutbox({ db, transport, now: T0, from: FROM, limit: 7 }),
    ]);
    expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(24);
    expect(reports.reduce((n, r) => n + r.failed, 0)).toBe(0);
    expect(sink.received).toHaveLength(24);
    const rcpts = sink.received.flatMap((m) => m.rcptTo).sort();
    expect(new Set(rcpts).size).toBe(24);
    const unsent = await db.selectFrom("outbox").select("id").where("sent_at", "is", null).execute();
    expect(unsent).toHaveLength(0);
  });

  it("resends a row whose drain died after claiming it, once the lease has run out", async () => {
    const { sink, transport } = await smtp();
    await queue(db, "k1");
    // a drain whose transport never returns stands for a process that died mid-send
    const hung: MailTransport = { send: () => new Promise<void>(() => {}) };
    // Leases run on the wall clock (the test moves its own alongside the domain clock).
    const wallAt = (d: Date) => () => d.getTime();
    void drainOutbox({ db, transport: hung, now: T0, from: FROM, leaseMs: 5 * MIN, wallClock: wallAt(T0) });
    await expect
      .poll(async () => (await db.selectFrom("outbox").select("claim_token").executeTakeFirstOrThrow()).claim_token)
      .not.toBeNull();
    expect(await drainOutbox({ db, transport, now: later(4 * MIN), from: FROM, wallClock: wallAt(later(4 * MIN)) })).toEqual({
      sent: 0,
      failed: 0,
    });
    expect(await drainOutbox({ db, transport, now: later(5 * MIN), from: FROM, wallClock: wallAt(later(5 * MIN)) })).toEqual({
      sent: 1,
      failed: 0,
    });
    expect(sink.received).toHaveLength(1);
  });

  it("does not send a row twice when the domain clock jumps while a drain is still sending it", async () => {
    const { sink, transport } = await smtp();
    await queue(db, "k1");
    const hung: MailTransport = { send: () => new Promise<void>(() => {}) };
    void drainOutbox({ db, transport: hung, now: T0, from: FROM, leaseMs: 5 * MIN });
    await expect
      .poll(async () => (await db.selectFrom("outbox").select("claim_token").executeTakeFirstOrThrow()).claim_token)
      .not.toBeNull();
    // A day on for the simulated clock; the send in flight keeps its (wall-clock) lease.
    expect(await drainOutbox({ db, transport, now: later(24 * 60 * MIN), from: FROM })).toEqual({ sent: 0, failed: 0 });
    expect(sink.received).toHaveLength(0);
  });
});

describe("file transport", () => {
  it("writes a parseable <id>.eml into the configured folder", async () => {
    const db = await mailTestDb();
    const dir = join(mkdtempSync(join(tmpdir(), "postvej-eml-")), "mail");
    const config = readMailConfig({ POSTVEJ_MAIL_URL: `file:${dir}`, POSTVEJ_MAIL_FROM: FROM });
    expect(config).toEqual({ kind: "file", dir, from: FROM });
    await queue(db, "k1");
    expect(await drainOutbox({ db, transport: createNodeTransport(config), now: T0, from: FROM })).toEqual({ sent: 1, failed: 0 });
    const row = await db.selectFrom("outbox").selectAll().executeTakeFirstOrThrow();
    expect(readdirSync(dir)).toEqual([`${row.id}.eml`]);
    const raw = readFileSync(join(dir, `${row.id}.eml`), "utf8");
    expect(raw).not.toMatch(/[^\r]\n/);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe(warning.subject);
    expect(parsed.text?.replace(/\r\n/g, "\n").trimEnd()).toBe(warning.text.trimEnd());
    expect(parsed.to?.map((a) => ("address" in a ? a.address : undefined))).toEqual(["teknik@aeroe.example", "forretning@aeroe.example"]);
    expect(parsed.from?.address).toBe(FROM);
    expect(parsed.date).toBe(T0.toISOString());
    await db.destroy();
  });
});
