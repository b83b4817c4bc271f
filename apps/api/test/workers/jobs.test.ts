// Inside workerd: the Worker's scheduled and queue handlers against a real sqld, pushing to a
// loopback receiver that verifies each signature on the Node side.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env as rawEnv } from "cloudflare:workers";
import { enqueueEmail } from "@postvej/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { simulatedClock } from "../../src/clock.ts";
import { claimDue, DEFAULT_DELIVERY_LIMITS } from "../../src/delivery/deliver-due.ts";
import { releaseHeld } from "../../src/jobs/release-held.ts";
import { batchesBySystem, type DeliveryBatch } from "../../src/worker-deliveries.ts";
import worker, { depsFor, runScheduled, type Env } from "../../src/worker.ts";
import { memoFor, must, seedAuthority, seenBy } from "./in-worker.ts";

const env = rawEnv as unknown as Env;
const CVR = "12345674";
const KEY = "jobs";
const XML = { "content-type": "application/xml" };
const DAY = 86_400_000;

let s: Awaited<ReturnType<typeof seedAuthority>>;
let startOffset = 0;
beforeAll(async () => {
  s = await seedAuthority(CVR, KEY);
  startOffset = (await (await depsFor(env)).clock.now()).getTime() - Date.now();
});
// The simulated clock lives in the shared database: put it back for the other test files.
afterAll(async () => {
  const clock = (await depsFor(env)).clock;
  await clock.advance!(startOffset - ((await clock.now()).getTime() - Date.now()));
});

const submit = async (opts: { valueDate?: string } = {}) => {
  const m = memoFor(CVR, { contactPointId: s.cp.id, ...opts });
  const r = await must(202, "POST", "/v1/messages", s.sender, m.xml, XML);
  return { ...m, reply: r };
};
const message = (uuid: string) => must(200, "GET", `/v1/messages/${uuid}`, s.sender);

describe("the Worker's queue handler", () => {
  it("gets fresh post out at once: the intake request claims it and hands it to the Queue, whose consumer pushes it", async () => {
    const m = await submit();
    expect(m.reply.state).toBe("queued");
    // No Cron Trigger runs here: the request's own waitUntil claimed it, Miniflare's consumer pushed it.
    await vi.waitFor(async () => expect((await message(m.uuid)).state).toBe("delivered"), { timeout: 20_000, interval: 100 });
    const seen = (await seenBy(KEY)).filter((p) => p.webhookId === m.uuid);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ verified: true, rejection: null, attempt: "1" });
  });

  it("pushes the claims of a Queue message, signed, and acknowledges it; a redelivery pushes nothing twice", async () => {
    // Post made due by a release (not by a request, which would claim it itself): held, then released.
    const deps = await depsFor(env);
    // Two UTC dates on, not one: a value date begins at Danish midnight, which is the evening before in
    // UTC, so "tomorrow" by the UTC date has already begun between 23:00 and 24:00 UTC.
    const m = await submit({ valueDate: new Date((await deps.clock.now()).getTime() + 2 * DAY).toISOString().slice(0, 10) });
    expect(m.reply.state).toBe("held");
    const clock = simulatedClock(deps.db);
    await clock.advance!(3 * DAY);
    expect(await releaseHeld(deps.db, await clock.now())).toEqual({ released: 1 });
    const { token, claimed } = await claimDue(deps, DEFAULT_DELIVERY_LIMITS, s.system.id);
    expect(claimed.map((c) => c.uuid)).toEqual([m.uuid]);
    const [body] = batchesBySystem(token, claimed);

    const batch = createMessageBatch<DeliveryBatch>("postvej-deliveries", [{ id: "q-1", timestamp: new Date(), attempts: 1, body: body! }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["q-1"]);
    expect(result.retryMessages).toEqual([]);

    const seen = (await seenBy(KEY)).filter((p) => p.webhookId === m.uuid);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ verified: true, rejection: null, attempt: "1" });
    expect(seen[0]!.contentType).toMatch(/^application\/xml/);
    expect(seen[0]!.bytes).toBe(new TextEncoder().encode(m.xml).byteLength);
    const read = await message(m.uuid);
    expect(read.state).toBe("delivered");
    expect(read.events.map((e: { type: string }) => e.type)).toContain("delivered");

    // Queues deliver at least once: the same message again finds its claims gone and is only acknowledged.
    const again = createMessageBatch<DeliveryBatch>("postvej-deliveries", [{ id: "q-2", timestamp: new Date(), attempts: 2, body: body! }]);
    const ctx2 = createExecutionContext();
    await worker.queue(again, env, ctx2);
    expect((await getQueueResult(again, ctx2)).explicitAcks).toEqual(["q-2"]);
    expect((await seenBy(KEY)).filter((p) => p.webhookId === m.uuid)).toHaveLength(1);
  });
});

describe("the Worker's scheduled handler", () => {
  it("keeps e-mail in the outbox without a MAIL binding, and sends it through send_email with one", async () => {
    const deps = await depsFor(env);
    const now = await deps.clock.now();
    const dedupeKey = `workers-test:${crypto.randomUUID()}`;
    await enqueueEmail(deps.db, {
      authorityCvr: CVR,
      template: "test",
      to: ["drift@myndighed.test"],
      subject: "Prøve",
      text: "Hej",
      dedupeKey,
      now: now.toISOString(),
    });
    const row = () => deps.db.selectFrom("outbox").selectAll().where("dedupe_key", "=", dedupeKey).executeTakeFirstOrThrow();

    const withoutMail = await runScheduled({ ...env, MAIL: undefined });
    expect((withoutMail.mail as { failed: number }).failed).toBeGreaterThanOrEqual(1);
    const kept = await row();
    expect(kept.sent_at).toBeNull();
    expect(kept.last_error).toContain("no MAIL binding");

    await simulatedClock(deps.db).advance!(2 * 60_000);
    const withMail = await runScheduled(env);
    expect((withMail.mail as { sent: number }).sent).toBeGreaterThanOrEqual(1);
    expect((await row()).sent_at).not.toBeNull();
  });

  it("releases a held message when its value date comes and hands the claimed delivery to the Queue, whose consumer pushes it", async () => {
    const deps = await depsFor(env);
    const valueDate = new Date((await deps.clock.now()).getTime() + 2 * DAY).toISOString().slice(0, 10);
    const held = await submit({ valueDate });
    expect(held.reply.state).toBe("held");

    // Four days on for postvej; the receiver checks signatures at its real clock, as a vendor's does.
    const clock = simulatedClock(deps.db);
    await clock.advance!(4 * DAY);
    expect((await message(held.uuid)).state).toBe("held");

    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    const after = await message(held.uuid);
    expect(after.state).not.toBe("held");
    expect(after.events.map((e: { type: string }) => e.type)).toContain("released");
    // The tick only claims and enqueues; the push happens in the queue handler Miniflare invokes.
    await vi.waitFor(async () => expect((await message(held.uuid)).state).toBe("delivered"), { timeout: 20_000, interval: 100 });
    const seen = (await seenBy(KEY)).filter((p) => p.webhookId === held.uuid);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ verified: true, attempt: "1" });
  });
});
