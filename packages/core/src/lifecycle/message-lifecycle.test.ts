import { describe, expect, it } from "vitest";
import { RETRY_DELAYS_MS } from "../delivery/retry-schedule.ts";
import {
  afterPush, afterReceipt, enterQueue, isPullOverdue, MESSAGE_STATE, PULL_GRACE_MS, pullOverdue, pullOverdueCutoff, recall, release, relocate, reroute,
} from "./message-lifecycle.ts";

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
    expect(enterQueue("virk", NOW)).toEqual({ state: "in_virk", queuedAt: AT, nextAttemptAt: null, events: ["landed_in_virk"], push: false });
  });
  it("a value date ahead holds it until then, whoever the custodian", () => {
    const releaseAt = new Date("2026-12-01T23:00:00.000Z");
    for (const to of ["push", "pull", "virk"] as const) {
      expect(enterQueue(to, NOW, releaseAt)).toEqual({ state: "held", queuedAt: releaseAt.toISOString(), nextAttemptAt: null, events: ["held"], push: false });
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
    expect(r.next).toEqual({ state: MESSAGE_STATE.delivered, deliveredAt: AT, lastAttemptAt: AT, attemptCount: 3, nextAttemptAt: null });
    expect(r.attempt).toEqual({ attemptNo: 3, at: AT, outcome: "delivered", statusCode: 200, error: null, durationMs: 12 });
    expect(r).toMatchObject({ event: "delivered", system: "delivered" });
  });

  it("a failure stays queued with the next attempt from the retry schedule, keeping the first failure", () => {
    const first = afterPush({ attemptNo: 1, firstFailedAt: null }, fail, NOW, half);
    expect(first.next).toEqual({ state: "queued", lastAttemptAt: AT, attemptCount: 1, firstFailedAt: AT, nextAttemptAt: new Date(NOW.getTime() + RETRY_DELAYS_MS[0]!).toISOString() });
    expect(first).toMatchObject({ event: "attempt_failed", system: "failed", attempt: { outcome: "failed", statusCode: 503, error: "http_503" } });
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
      state: "delivered", deliveredAt: AT, receiptStatus: "RECEIVED", receiptError: null, attemptCount: 2, lastAttemptAt: AT,
      nextAttemptAt: null, claimToken: null, claimedUntil: null,
    });
    expect(r).toMatchObject({ event: "delivered", error: null, system: "delivered", attempt: { attemptNo: 2, outcome: "delivered" } });
  });
  it("INVALID records the refusal with its error, and the system still counts as answering", () => {
    const r = afterReceipt({ attemptCount: 0 }, { status: "INVALID", errorCode: "E1", errorMessage: "bad" }, NOW);
    expect(r).toMatchObject({ event: "receipt_rejected", error: "E1: bad", system: "delivered", attempt: { outcome: "rejected", error: "E1: bad" } });
    expect(afterReceipt({ attemptCount: 0 }, { status: "NOT_ALLOWED" }, NOW).error).toBe("NOT_ALLOWED");
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
    expect(r).toMatchObject({ event: "attempt_failed", system: "failed", attempt: { attemptNo: 1, outcome: "failed", error: "fetched_without_receipt", durationMs: 0 } });
    expect(pullOverdue({ attemptCount: 0, fetched: false }, NOW).attempt.error).toBe("not_fetched");
  });
});

describe("recall", () => {
  it("only a held message, which becomes recalled with nothing due", () => {
    expect(recall(NOW)).toEqual({ guard: "held", next: { state: "recalled", recalledAt: AT, nextAttemptAt: null }, event: "recalled" });
  });
});
