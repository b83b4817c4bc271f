import { describe, expect, it } from "vitest";
import { parseIsoDuration } from "../src/iso-duration.ts";

// The simulated clock's `advance` (POST /v1/dev/clock, the demo page's buttons).
describe("ISO 8601 durations", () => {
  it("reads weeks, days, hours, minutes and seconds", () => {
    expect(parseIsoDuration("PT1H")).toBe(3_600_000);
    expect(parseIsoDuration("P2D")).toBe(2 * 86_400_000);
    expect(parseIsoDuration("P1W")).toBe(7 * 86_400_000);
    expect(parseIsoDuration("P1W2DT3H4M5S")).toBe(((9 * 24 + 3) * 60 + 4) * 60_000 + 5_000);
  });

  it("refuses what is not one", () => {
    for (const bad of ["", "P", "PT", "P1DT", "1D", "P1H", "PT1D", "P-1D", "P1.5D", "p1d", "P1D2W"])
      expect(parseIsoDuration(bad)).toBeNull();
  });
});
