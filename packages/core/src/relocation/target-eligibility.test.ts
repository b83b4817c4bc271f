import { describe, expect, it } from "vitest";
import { targetIneligibility } from "./target-eligibility.ts";

describe("targetIneligibility", () => {
  it.each([
    [true, true, "active", null],
    [false, true, "active", "invisible"],
    [true, false, "active", "inactive"],
    [true, true, "deactivated", "system_deactivated"],
    [false, false, "deactivated", "invisible"],
    [true, false, "deactivated", "inactive"],
  ] as const)("visible %s, active %s, system %s → %s", (visible, active, systemState, reason) => {
    expect(targetIneligibility({ visible, active, systemState })).toBe(reason);
  });
});
