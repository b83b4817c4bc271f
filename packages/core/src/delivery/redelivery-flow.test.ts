import { describe, expect, it } from "vitest";
import { evaluateFlow, type SystemClocks } from "./redelivery-flow.ts";

const d = (s: string) => new Date(s);
const base: SystemClocks = { state: "active", failingSince: null, oldestUndeliveredAt: null, warnedDay2At: null, warnedDay5At: null };
const down: SystemClocks = { ...base, failingSince: d("2026-11-01T10:00:00Z"), oldestUndeliveredAt: d("2026-11-01T10:00:00Z") };

describe("evaluateFlow", () => {
  it.each([
    [
      "day 1: nothing yet, next is the day-2 warning",
      "2026-11-02T09:59:00Z",
      {},
      { warnDay2: false, warnDay5: false, deactivate: false },
      "warning_day2",
    ],
    ["day 2: warn", "2026-11-03T10:00:00Z", {}, { warnDay2: true, warnDay5: false, deactivate: false }, "warning_day5"],
    [
      "day 2 already warned: not again",
      "2026-11-04T10:00:00Z",
      { warnedDay2At: d("2026-11-03T10:00:00Z") },
      { warnDay2: false },
      "warning_day5",
    ],
    [
      "day 5: warn again",
      "2026-11-06T10:00:00Z",
      { warnedDay2At: d("2026-11-03T10:00:00Z") },
      { warnDay2: false, warnDay5: true },
      "deactivation",
    ],
    [
      "day 7 of silence: deactivate",
      "2026-11-08T10:00:00Z",
      { warnedDay2At: d("2026-11-03T10:00:00Z"), warnedDay5At: d("2026-11-06T10:00:00Z") },
      { deactivate: true },
      null,
    ],
  ] as const)("%s", (_n, now, extra, expected, next) => {
    const r = evaluateFlow({ ...down, ...extra }, d(now));
    expect(r).toMatchObject(expected);
    expect(r.nextStep?.kind ?? null).toBe(next);
  });

  it("a system that delivered one message in the week is warned but not deactivated", () => {
    // Oldest failure on day 0, but a success on day 3 reset the silence clock.
    const c: SystemClocks = {
      ...base,
      oldestUndeliveredAt: d("2026-11-01T10:00:00Z"),
      failingSince: d("2026-11-04T11:00:00Z"),
      warnedDay2At: d("2026-11-03T10:00:00Z"),
    };
    const r = evaluateFlow(c, d("2026-11-08T10:00:00Z"));
    expect(r).toMatchObject({ warnDay5: true, deactivate: false });
    expect(r.nextStep).toEqual({ kind: "deactivation", at: d("2026-11-11T11:00:00Z") });
  });

  it("ends the episode once nothing is undelivered", () => {
    const r = evaluateFlow({ ...base, warnedDay2At: d("2026-11-03T10:00:00Z") }, d("2026-11-05T00:00:00Z"));
    expect(r).toMatchObject({ endEpisode: true, warnDay2: false, nextStep: null });
  });

  it("a deactivated system takes no further steps", () => {
    const r = evaluateFlow({ ...down, state: "deactivated" }, d("2026-11-20T00:00:00Z"));
    expect(r).toMatchObject({ warnDay2: false, warnDay5: false, deactivate: false, nextStep: null });
  });
});
