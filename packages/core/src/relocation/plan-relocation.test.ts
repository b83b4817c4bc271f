import { describe, expect, it } from "vitest";
import { planRelocation, summarizePlan } from "./plan-relocation.ts";
import type { CandidateContactPoint } from "./target-eligibility.ts";

const cp = (id: string, over: Partial<CandidateContactPoint> = {}): CandidateContactPoint => ({
  id,
  recipientSystemId: `rs_${id}`,
  visible: true,
  active: true,
  systemState: "active",
  ...over,
});
const candidates = [
  cp("good"),
  cp("target"),
  cp("hidden", { visible: false }),
  cp("off", { active: false }),
  cp("dead", { systemState: "deactivated" }),
];
const one = (originalContactPointId: string | null, targetContactPointId: string | null, preferOriginal: boolean) =>
  planRelocation({ messages: [{ uuid: "m", originalContactPointId }], candidates, targetContactPointId, preferOriginal })[0];

describe("planRelocation", () => {
  it.each([
    // original, target, preferOriginal → outcome
    ["good", "target", true, { to: { contactPointId: "good", systemId: "rs_good" } }],
    ["hidden", "target", true, { to: { contactPointId: "target", systemId: "rs_target" } }],
    ["off", "target", true, { to: { contactPointId: "target", systemId: "rs_target" } }],
    ["dead", "target", true, { to: { contactPointId: "target", systemId: "rs_target" } }],
    ["gone", "target", true, { to: { contactPointId: "target", systemId: "rs_target" } }],
    [null, "target", true, { to: { contactPointId: "target", systemId: "rs_target" } }],
    ["good", "target", false, { to: { contactPointId: "target", systemId: "rs_target" } }],
    ["good", null, true, { to: { contactPointId: "good", systemId: "rs_good" } }],
    ["dead", null, true, { skipped: "original_not_eligible_and_no_target" }],
    ["gone", null, true, { skipped: "original_not_eligible_and_no_target" }],
    [null, null, true, { skipped: "no_original_and_no_target" }],
    ["good", null, false, { skipped: "no_target" }],
    [null, "hidden", false, { skipped: "target_invisible" }],
    [null, "off", false, { skipped: "target_inactive" }],
    [null, "dead", false, { skipped: "target_system_deactivated" }],
    [null, "elsewhere", false, { skipped: "target_unknown" }],
    ["hidden", "dead", true, { skipped: "target_system_deactivated" }],
    ["good", "dead", true, { to: { contactPointId: "good", systemId: "rs_good" } }],
  ] as const)("original %s, target %s, preferOriginal %s", (original, target, prefer, expected) => {
    expect(one(original, target, prefer)).toEqual({ uuid: "m", ...expected });
  });

  it("keeps the order of the messages and is deterministic", () => {
    const messages = Array.from({ length: 20 }, (_, i) => ({
      uuid: `m${i}`,
      originalContactPointId: i % 3 === 0 ? "good" : i % 3 === 1 ? "dead" : null,
    }));
    const input = { messages, candidates, targetContactPointId: "target", preferOriginal: true };
    const plan = planRelocation(input);
    expect(plan.map((p) => p.uuid)).toEqual(messages.map((m) => m.uuid));
    expect(planRelocation(input)).toEqual(plan);
  });
});

describe("summarizePlan", () => {
  it("groups moves per destination in first-seen order and lists the skipped", () => {
    const plan = planRelocation({
      messages: [
        { uuid: "a", originalContactPointId: "good" },
        { uuid: "b", originalContactPointId: null },
        { uuid: "c", originalContactPointId: "good" },
        { uuid: "d", originalContactPointId: "off" },
      ],
      candidates,
      targetContactPointId: null,
      preferOriginal: true,
    });
    expect(summarizePlan(plan)).toEqual({
      moves: [{ contactPointId: "good", systemId: "rs_good", count: 2, uuids: ["a", "c"] }],
      skipped: [
        { uuid: "b", reason: "no_original_and_no_target" },
        { uuid: "d", reason: "original_not_eligible_and_no_target" },
      ],
    });
    expect(summarizePlan([])).toEqual({ moves: [], skipped: [] });
  });
});
