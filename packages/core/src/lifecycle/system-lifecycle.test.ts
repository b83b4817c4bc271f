import { describe, expect, it } from "vitest";
import type { SystemClocks } from "../delivery/redelivery-flow.ts";
import { afterDelivered, afterFailed, clocksAfterAttempts, deactivate, EPISODE_CLEARED, evaluate, reactivate } from "./system-lifecycle.ts";

const d = (s: string) => new Date(s);
const NOW = d("2026-11-27T12:00:00.000Z");

describe("the two clocks", () => {
  it("a delivery resets the silence; a failure starts the clocks unless they run", () => {
    expect(afterDelivered(NOW)).toEqual({ lastDeliveredAt: NOW.toISOString(), failingSince: null });
    expect(afterFailed(NOW)).toEqual({ failingSince: NOW.toISOString(), episodeStartedAt: NOW.toISOString(), unlessRunning: true });
  });

  it("a batch: the latest success counts, the clocks restart at the first failure after it", () => {
    const w = clocksAfterAttempts([
      { systemId: "a", at: "2026-11-27T12:00:01.000Z", delivered: false },
      { systemId: "a", at: "2026-11-27T12:00:02.000Z", delivered: true },
      { systemId: "a", at: "2026-11-27T12:00:04.000Z", delivered: false },
      { systemId: "a", at: "2026-11-27T12:00:03.000Z", delivered: false },
      { systemId: "b", at: "2026-11-27T12:00:05.000Z", delivered: false },
      { systemId: "c", at: "2026-11-27T12:00:06.000Z", delivered: true },
    ]);
    expect(w.get("a")).toEqual([afterDelivered(d("2026-11-27T12:00:02.000Z")), afterFailed(d("2026-11-27T12:00:03.000Z"))]);
    expect(w.get("b")).toEqual([afterFailed(d("2026-11-27T12:00:05.000Z"))]);
    expect(w.get("c")).toEqual([afterDelivered(d("2026-11-27T12:00:06.000Z"))]);
  });
});

describe("evaluate", () => {
  const start = "2026-11-20T10:00:00.000Z";
  const system = { id: "rs_x", episodeStartedAt: start, failingSince: start };
  const clocks: SystemClocks = {
    state: "active",
    failingSince: d(start),
    oldestUndeliveredAt: d(start),
    warnedDay2At: null,
    warnedDay5At: null,
  };

  it("day 5 warns for days 2 and 5, once per episode by their dedupe keys, and moves seven-day failures on", () => {
    const e = evaluate(system, clocks, d("2026-11-25T10:00:00.000Z"));
    expect(e).toMatchObject({
      deactivate: null,
      warn: [
        { day: 2, dedupeKey: `rs_x:${start}:day2` },
        { day: 5, dedupeKey: `rs_x:${start}:day5` },
      ],
      moveOn: { failedBefore: "2026-11-18T10:00:00.000Z" },
      endEpisode: false,
    });
  });

  it("day 7 of silence deactivates (everything undelivered moves on with it)", () => {
    expect(evaluate(system, clocks, d("2026-11-27T10:00:00.000Z"))).toMatchObject({ deactivate: { reason: "automatic" } });
  });

  it("an episode without undelivered post ends", () => {
    const e = evaluate(system, { ...clocks, oldestUndeliveredAt: null }, NOW);
    expect(e).toMatchObject({ deactivate: null, warn: [], endEpisode: true });
  });

  it("the episode key falls back to failing since, then now", () => {
    const e = evaluate(
      { id: "rs_x", episodeStartedAt: null, failingSince: null },
      { ...clocks, failingSince: null },
      d("2026-11-23T10:00:00.000Z"),
    );
    expect(e).toMatchObject({ warn: [{ day: 2, dedupeKey: "rs_x:2026-11-23T10:00:00.000Z:day2" }] });
  });
});

describe("deactivate and reactivate", () => {
  it("deactivation writes its reason and time, its notice is keyed by both", () => {
    expect(deactivate("rs_x", "manual", NOW)).toEqual({
      next: { state: "deactivated", deactivatedAt: NOW.toISOString(), deactivationReason: "manual", updatedAt: NOW.toISOString() },
      noticeDedupeKey: `rs_x:deactivated:${NOW.toISOString()}`,
    });
  });
  it("reactivation clears the episode the same way the end of an episode does", () => {
    expect(reactivate(NOW)).toEqual({
      state: "active",
      deactivatedAt: null,
      deactivationReason: null,
      ...EPISODE_CLEARED,
      updatedAt: NOW.toISOString(),
    });
  });
});
