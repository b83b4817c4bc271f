import { describe, expect, it } from "vitest";
import { RETRY_DELAYS_MS } from "../delivery/retry-schedule.ts";
import {
  afterPush,
  afterReceipt,
  enterQueue,
  isFetched,
  isManualRepeat,
  isPullOverdue,
  MANUAL_REPEAT_WINDOW_MS,
  MESSAGE_STATE,
  PULL_GRACE_MS,
  pullOverdue,
  pullOverdueCutoff,
  recall,
  redeliver,
  release,
  relocate,
  reroute,
  RETRY_NOW_LIMIT,
  retryNow,
} from "./index.ts";

const NOW = new Date("2026-11-27T12:00:00.000Z");
const AT = NOW.toISOString();
const half = () => 0.5;

describe("enterQueue", () => {
  it("a push custodian's first attempt is due now, and a delivery run should start", () => {
    expect(enterQueue("push", NOW)).toEqual({ state: "queued", queuedAt: AT, nextAttemptAt: AT, events: [], push: true });
  });
  it("a pull custodian's post waits for the fetch", () => {
    expect(enterQueue("pull", NOW)).toEqual({ state: "queued", queuedAt: AT, nextAttemptAt: null, events: [], push: false });
  });
  it("Virk keeps it, with a landed_in_virk event", () => {
    expect(enterQueue("virk", NOW)).toEqual({
      state: "in_virk",
      queuedAt: AT,
      nextAttemptAt: null,
      events: ["landed_in_virk"],
      push: false,
    });
  });
  it("a value date ahead holds it until then, whoever the custodian", () => {
    const releaseAt = new Date("2026-12-01T23:00:00.000Z");
    for (const to of ["push", "pull", "virk"] as const) {
      expect(enterQueue(to, NOW, releaseAt)).toEqual({
        state: "held",
        queuedAt: releaseAt.toISOString(),
        nextAttemptAt: null,
        events: ["held"],
        push: false,
      });
    }
  });
});

describe("release", () => {
  it("enters the queue now, released first", () => {
    expect(release("push", NOW)).toMatchObject({ state: "queued", nextAttemptAt: AT, events: ["released"], push: true });
    expect(release("virk", NOW)).toMatchObject({ state: "in_virk", nextAttemptAt: null, events: ["released", "landed_in_virk"] });
  });
});

describe("reroute and relocate", () => {
  it("start afresh at the new custodian: no claim, no failure, attempts from 1", () => {
    const fresh = { queuedAt: AT, claimToken: null, claimedUntil: null, firstFailedAt: null, attemptCount: 0 };
    expect(reroute("push", NOW)).toEqual({ custody: fresh, queued: { state: "queued", nextAttemptAt: AT }, push: true, toVirk: false });
    expect(reroute("virk", NOW)).toEqual({ custody: fresh, queued: { state: "in_virk", nextAttemptAt: null }, push: false, toVirk: true });
    expect(relocate("pull", NOW)).toEqual({ custody: fresh, queued: { state: "queued", nextAttemptAt: null }, push: false, toVirk: false });
  });
});

describe("afterPush", () => {
  const ok = { delivered: true, statusCode: 200, error: null, retryAfterMs: null, durationMs: 12.4 };
  const fail = { delivered: false, statusCode: 503, error: "http_503", retryAfterMs: null, durationMs: 3 };

  it("a 2xx delivers the message and resets the system's silence", () => {
    const r = afterPush({ attemptNo: 3, firstFailedAt: "2026-11-27T11:00:00.000Z" }, ok, NOW, half);
    expect(r.next).toEqual({
      state: MESSAGE_STATE.delivered,
      deliveredAt: AT,
      lastAttemptAt: AT,
      attemptCount: 3,
      nextAttemptAt: null,
      receiptStatus: null,
      receiptError: null,
    });
    expect(r.attempt).toEqual({ attemptNo: 3, at: AT, outcome: "delivered", statusCode: 200, error: null, durationMs: 12 });
    expect(r).toMatchObject({ event: "delivered", system: "delivered" });
  });

  it("a failure stays queued with the next attempt from the retry schedule, keeping the first failure", () => {
    const first = afterPush({ attemptNo: 1, firstFailedAt: null }, fail, NOW, half);
    expect(first.next).toEqual({
      state: "queued",
      lastAttemptAt: AT,
      attemptCount: 1,
      firstFailedAt: AT,
      nextAttemptAt: new Date(NOW.getTime() + RETRY_DELAYS_MS[0]!).toISOString(),
    });
    expect(first).toMatchObject({
      event: "attempt_failed",
      system: "failed",
      attempt: { outcome: "failed", statusCode: 503, error: "http_503" },
    });
    const later = afterPush({ attemptNo: 2, firstFailedAt: "2026-11-27T11:00:00.000Z" }, fail, NOW, half);
    expect(later.next).toMatchObject({ firstFailedAt: "2026-11-27T11:00:00.000Z", attemptCount: 2 });
  });

  it("the receiver's Retry-After wins over the schedule", () => {
    const r = afterPush({ attemptNo: 1, firstFailedAt: null }, { ...fail, retryAfterMs: 120_000 }, NOW, half);
    expect(r.next.nextAttemptAt).toBe(new Date(NOW.getTime() + 120_000).toISOString());
  });
});

describe("afterReceipt", () => {
  it("RECEIVED delivers the message as the next attempt", () => {
    const r = afterReceipt({ attemptCount: 1 }, { status: "RECEIVED" }, NOW);
    expect(r.next).toEqual({
      state: "delivered",
      deliveredAt: AT,
      receiptStatus: "RECEIVED",
      receiptError: null,
      attemptCount: 2,
      lastAttemptAt: AT,
      nextAttemptAt: null,
      claimToken: null,
      claimedUntil: null,
    });
    expect(r).toMatchObject({ event: "delivered", error: null, system: "delivered", attempt: { attemptNo: 2, outcome: "delivered" } });
  });
  it("INVALID records the refusal with its error, and the system still counts as answering", () => {
    const r = afterReceipt({ attemptCount: 0 }, { status: "INVALID", errorCode: "E1", errorMessage: "bad" }, NOW);
    expect(r).toMatchObject({
      event: "receipt_rejected",
      error: "E1: bad",
      system: "delivered",
      attempt: { outcome: "rejected", error: "E1: bad" },
    });
    // Without a code or message the refusal is still a refusal, with no error made up for it.
    expect(afterReceipt({ attemptCount: 0 }, { status: "NOT_ALLOWED" }, NOW)).toMatchObject({
      event: "receipt_rejected",
      error: null,
      next: { receiptStatus: "NOT_ALLOWED", receiptError: null },
      attempt: { outcome: "rejected", error: null },
    });
  });
});

describe("isFetched", () => {
  it("a pull message was handed to its system while its fetch lease is set, running or lapsed; never fetched (or redelivered) it was not", () => {
    expect(isFetched({ claimedUntil: null })).toBe(false);
    expect(isFetched({ claimedUntil: AT })).toBe(true);
    const redelivered = redeliver({ state: MESSAGE_STATE.queued }, { protocol: "REST_PULL", state: "active" }, NOW);
    expect(redelivered.ok && redelivered.next.claimedUntil).toBeNull();
  });
});

describe("pullOverdue", () => {
  it("counts after the grace period, a held message from its release", () => {
    const cutoff = pullOverdueCutoff(NOW);
    expect(cutoff).toBe(new Date(NOW.getTime() - PULL_GRACE_MS).toISOString());
    expect(isPullOverdue({ releaseAt: null }, cutoff)).toBe(true);
    expect(isPullOverdue({ releaseAt: cutoff }, cutoff)).toBe(true);
    expect(isPullOverdue({ releaseAt: AT }, cutoff)).toBe(false);
  });
  it("is one failed attempt, named by whether it was fetched", () => {
    const r = pullOverdue({ attemptCount: 0, fetched: true }, NOW);
    expect(r.next).toEqual({ firstFailedAt: AT, attemptCount: 1, lastAttemptAt: AT });
    expect(r).toMatchObject({
      event: "attempt_failed",
      system: "failed",
      attempt: { attemptNo: 1, outcome: "failed", error: "fetched_without_receipt", durationMs: 0 },
    });
    expect(pullOverdue({ attemptCount: 0, fetched: false }, NOW).attempt.error).toBe("not_fetched");
  });
});

describe("recall", () => {
  it("only a held message, which becomes recalled with nothing due", () => {
    expect(recall(NOW)).toEqual({ guard: "held", next: { state: "recalled", recalledAt: AT, nextAttemptAt: null }, event: "recalled" });
  });
});

describe("redeliver", () => {
  const push = { protocol: "REST_PUSH", state: "active" } as const;
  const pull = { protocol: "REST_PULL", state: "active" } as const;

  it("a queued push message is due now; a claim in flight is left alone", () => {
    expect(redeliver({ state: "queued" }, push, NOW)).toEqual({
      ok: true,
      guard: "queued",
      next: { state: "queued", nextAttemptAt: AT },
      event: "manual_redelivery",
      push: true,
    });
  });
  it("a queued pull message is back in the waiting list (its fetch lease ends)", () => {
    expect(redeliver({ state: "queued" }, pull, NOW)).toEqual({
      ok: true,
      guard: "queued",
      next: { state: "queued", claimToken: null, claimedUntil: null },
      event: "manual_redelivery",
      push: false,
    });
  });
  it("a delivered message enters its queue afresh, with no failure and its attempts still counted", () => {
    const fresh = { state: "queued", queuedAt: AT, firstFailedAt: null, claimToken: null, claimedUntil: null };
    expect(redeliver({ state: "delivered" }, push, NOW)).toEqual({
      ok: true,
      guard: "delivered",
      next: { ...fresh, nextAttemptAt: AT },
      event: "manual_redelivery",
      push: true,
    });
    expect(redeliver({ state: "delivered" }, pull, NOW)).toEqual({
      ok: true,
      guard: "delivered",
      next: { ...fresh, nextAttemptAt: null },
      event: "manual_redelivery",
      push: false,
    });
    expect(redeliver({ state: "delivered" }, push, NOW)).not.toHaveProperty("next.attemptCount");
  });
  it("held, in_virk and recalled messages, and a message without a system, are refused", () => {
    for (const state of ["held", "in_virk", "recalled"] as const)
      expect(redeliver({ state }, push, NOW)).toEqual({ ok: false, reason: "not_redeliverable" });
    expect(redeliver({ state: "queued" }, null, NOW)).toEqual({ ok: false, reason: "not_redeliverable" });
  });
  it("a deactivated system takes no redelivery", () => {
    expect(redeliver({ state: "delivered" }, { ...push, state: "deactivated" }, NOW)).toEqual({ ok: false, reason: "system_deactivated" });
  });
});

describe("retryNow", () => {
  it("an active push system's queued post becomes due now, at most RETRY_NOW_LIMIT of it", () => {
    expect(retryNow({ protocol: "REST_PUSH", state: "active" }, NOW)).toEqual({
      ok: true,
      nextAttemptAt: AT,
      limit: RETRY_NOW_LIMIT,
      event: "retry_now",
      push: true,
    });
    expect(RETRY_NOW_LIMIT).toBe(10_000);
  });
  it("a deactivated system or a pull system is refused", () => {
    expect(retryNow({ protocol: "REST_PUSH", state: "deactivated" }, NOW)).toEqual({ ok: false, reason: "system_deactivated" });
    expect(retryNow({ protocol: "REST_PULL", state: "active" }, NOW)).toEqual({ ok: false, reason: "not_push_system" });
  });
});

describe("isManualRepeat", () => {
  it("a request within a minute of the last one is a repeat; from a minute on it is new", () => {
    expect(MANUAL_REPEAT_WINDOW_MS).toBe(60_000);
    expect(isManualRepeat(null, NOW)).toBe(false);
    expect(isManualRepeat(AT, NOW)).toBe(true);
    expect(isManualRepeat(new Date(NOW.getTime() - 59_999).toISOString(), NOW)).toBe(true);
    expect(isManualRepeat(new Date(NOW.getTime() - 60_000).toISOString(), NOW)).toBe(false);
  });
});
