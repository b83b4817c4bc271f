import { describe, expect, it } from "vitest";
import { applyValueDate, danishDate, danishMidnight } from "./index.ts";

describe("applyValueDate", () => {
  // 23:30 UTC on 27 Nov is already 28 Nov in Copenhagen (CET, UTC+1).
  const lateEvening = new Date("2026-11-27T23:30:00Z");

  it("counts days from today's Danish date, not the UTC date", () => {
    expect(danishDate(lateEvening)).toBe("2026-11-28");
    const twelve = applyValueDate("2026-12-10", lateEvening);
    expect(twelve).toEqual({ ok: true, releaseAt: new Date("2026-12-09T23:00:00Z") });
    const thirteen = applyValueDate("2026-12-11", lateEvening);
    expect(thirteen.ok).toBe(false);
    if (!thirteen.ok) {
      expect(thirteen.code).toBe("value_date_too_far");
      expect(thirteen.message).toContain("the limit is 12 days");
    }
  });

  it("today or a past date means no delay", () => {
    expect(applyValueDate("2026-11-28", lateEvening)).toEqual({ ok: true, releaseAt: null });
    expect(applyValueDate("2018-09-15", lateEvening)).toEqual({ ok: true, releaseAt: null });
  });

  it("releases at Danish midnight in summer time too", () => {
    expect(danishMidnight("2026-07-01").toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(danishMidnight("2026-03-29").toISOString()).toBe("2026-03-28T23:00:00.000Z");
  });

  it("gives the Danish date of every instant, across midnights and both clock changes, in any order", () => {
    const format = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Copenhagen", year: "numeric", month: "2-digit", day: "2-digit" });
    const instants: Date[] = [];
    for (const start of ["2026-03-28T20:00:00Z", "2026-10-24T20:00:00Z", "2026-12-31T21:00:00Z"]) {
      for (let m = 0; m < 36 * 60; m += 7) instants.push(new Date(Date.parse(start) + m * 60_000));
    }
    for (const at of [...instants, ...instants.reverse()]) expect(danishDate(at)).toBe(format.format(at));
    expect(danishDate(new Date("2026-10-24T21:59:59.999Z"))).toBe("2026-10-24");
    expect(danishDate(new Date("2026-10-24T22:00:00Z"))).toBe("2026-10-25");
    expect(() => danishDate(new Date(NaN))).toThrow(RangeError);
  });

  it("refuses a date that does not exist", () => {
    expect(applyValueDate("2026-02-30", lateEvening).ok).toBe(false);
  });
});
