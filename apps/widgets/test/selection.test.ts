import { describe, expect, test } from "vitest";
import { danishDayBoundary } from "../src/shared/format.ts";
import { emptyFilters, mailboxQuery, toSelection } from "../src/relocation-panel/selection.ts";

describe("danishDayBoundary", () => {
  test.each([
    ["2026-11-27", false, "2026-11-26T23:00:00.000Z"],
    ["2026-11-27", true, "2026-11-27T22:59:59.999Z"],
    ["2026-07-01", false, "2026-06-30T22:00:00.000Z"],
    ["2026-07-01", true, "2026-07-01T21:59:59.999Z"],
    // The day summer time ends is 25 hours long in Copenhagen.
    ["2026-10-25", false, "2026-10-24T22:00:00.000Z"],
    ["2026-10-25", true, "2026-10-25T22:59:59.999Z"],
    // The day it starts is 23 hours long.
    ["2026-03-29", false, "2026-03-28T23:00:00.000Z"],
    ["2026-03-29", true, "2026-03-29T21:59:59.999Z"],
    ["2026-12-31", true, "2026-12-31T22:59:59.999Z"],
  ])("%s (end of day: %s) → %s", (date, end, iso) => {
    expect(danishDayBoundary(date, end)).toBe(iso);
  });
});

describe("toSelection", () => {
  test("some picked messages go as UUIDs", () => {
    expect(toSelection({ kind: "some", ids: new Set(["a", "b"]) }, emptyFilters)).toEqual({ messageUUIDs: ["a", "b"] });
  });
  test("all matching with no filter is `all`", () => {
    expect(toSelection({ kind: "all" }, emptyFilters)).toEqual({ all: true });
  });
  test("all matching a filter sends the filter, whole Danish days, trimmed sender", () => {
    const sel = toSelection(
      { kind: "all" },
      { receivedFrom: "2026-11-01", receivedTo: "2026-11-27", originalContactPointId: "cp", senderId: " 12345674 " },
    );
    expect(sel).toEqual({
      receivedFrom: "2026-10-31T23:00:00.000Z",
      receivedTo: "2026-11-27T22:59:59.999Z",
      originalContactPointId: "cp",
      senderId: "12345674",
    });
    expect(sel.messageUUIDs).toBeUndefined();
  });
});

test("mailboxQuery carries the page size, the filter and the cursor", () => {
  const q = new URLSearchParams(mailboxQuery({ ...emptyFilters, originalContactPointId: "cp" }, 50, "c2"));
  expect(Object.fromEntries(q)).toEqual({ limit: "50", originalContactPointId: "cp", cursor: "c2" });
});
