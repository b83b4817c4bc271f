import { describe, expect, it } from "vitest";
import { isRepeatRelocation } from "./repeat-request.ts";

describe("isRepeatRelocation", () => {
  const now = new Date("2026-11-27T09:01:00.000Z");
  it.each([
    [undefined, false],
    [{ state: "running", createdAt: "2026-11-20T09:00:00.000Z" }, true],
    [{ state: "finished", createdAt: "2026-11-27T09:00:00.001Z" }, true],
    [{ state: "finished", createdAt: "2026-11-27T09:00:00.000Z" }, false],
    [{ state: "stopped", createdAt: "2026-11-27T09:00:30.000Z" }, false],
    [{ state: "stopped", createdAt: "2026-11-27T08:00:00.000Z" }, false],
  ] as const)("%j → %s", (earlier, repeat) => {
    expect(isRepeatRelocation(earlier, now)).toBe(repeat);
  });
});
