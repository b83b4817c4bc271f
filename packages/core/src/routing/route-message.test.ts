import { describe, expect, it } from "vitest";
import { routeMessage, toPrimaryOrVirk, type RoutableSystem } from "./index.ts";

const A: RoutableSystem = { id: "rs_a", state: "active", primary: false };
const P: RoutableSystem = { id: "rs_p", state: "active", primary: true };
const off = (s: RoutableSystem): RoutableSystem => ({ ...s, state: "deactivated" });
const cp = { id: "cp1", active: true, recipientSystemId: "rs_a" };

describe("routeMessage", () => {
  it.each([
    ["active contact point → its system", { requestedContactPointId: "cp1", contactPoint: cp, systems: [A, P] }, "rs_a", "contact_point"],
    ["no contact point → primary", { requestedContactPointId: null, contactPoint: null, systems: [A, P] }, "rs_p", "cvr_only"],
    [
      "unknown contact point → primary",
      { requestedContactPointId: "x", contactPoint: null, systems: [A, P] },
      "rs_p",
      "unknown_contact_point",
    ],
    [
      "inactive contact point → primary",
      { requestedContactPointId: "cp1", contactPoint: { ...cp, active: false }, systems: [A, P] },
      "rs_p",
      "contact_point_inactive",
    ],
    [
      "deactivated system → primary",
      { requestedContactPointId: "cp1", contactPoint: cp, systems: [off(A), P] },
      "rs_p",
      "system_deactivated",
    ],
    [
      "deactivated system, deactivated primary → Virk",
      { requestedContactPointId: "cp1", contactPoint: cp, systems: [off(A), off(P)] },
      "virk",
      "primary_deactivated",
    ],
    ["no primary → Virk", { requestedContactPointId: null, contactPoint: null, systems: [A] }, "virk", "no_primary"],
  ] as const)("%s", (_name, input, where, reason) => {
    const d = routeMessage({ ...input, systems: [...input.systems] });
    expect(d.custodian.kind === "virk" ? "virk" : d.custodian.recipientSystemId).toBe(where);
    expect(d.reason).toBe(reason);
  });

  it("records every step of the chain", () => {
    const d = routeMessage({ requestedContactPointId: "cp1", contactPoint: cp, systems: [off(A), off(P)] });
    expect(d.steps).toEqual(["system_deactivated", "primary_deactivated"]);
    expect(d.contactPointId).toBe("cp1");
  });

  it("a failing primary's own post goes to Virk, not back to itself", () => {
    const d = toPrimaryOrVirk([A, P], ["system_deactivated"], null, "rs_p");
    expect(d.custodian).toEqual({ kind: "virk" });
  });
});
