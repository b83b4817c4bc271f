import { describe, expect, it } from "vitest";
import { isRepeatRelocation } from "./repeat-request.ts";

describe("isRepeatRelocation", () => {
  const now = new Date("2026-11-27T09:01:00.000Z");
  it.each([
    [undefined, false, false],
    [{ state: "running", createdAt: "2026-11-20T09:00:00.000Z" }, false, true],
    [{ state: "running", createdAt: "2026-11-20T09:00:00.000Z" }, true, true],
    [{ state: "finished", createdAt: "2026-11-27T09:00:00.001Z" }, false, true],
    // Post that landed in Virk since, and matches: a new move.
    [{ state: "finished", createdAt: "2026-11-27T09:00:00.001Z" }, true, false],
    [{ state: "finished", createdAt: "2026-11-27T09:00:00.000Z" }, false, false],
    [{ state: "stopped", createdAt: "2026-11-27T09:00:30.000Z" }, false, false],
    [{ state: "stopped", createdAt: "2026-11-27T08:00:00.000Z" }, true, false],
  ] as const)("%j, left in Virk %s → %s", (earlier, leftInVirk, repeat) => {
    expect(isRepeatRelocation(earlier, now, leftInVirk)).toBe(repeat);
  });
});
