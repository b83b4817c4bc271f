import { z } from "zod";
import { iso } from "./shared.ts";

export const Health = z.object({ ok: z.literal(true), now: iso }).meta({ id: "Health" });
export type Health = z.infer<typeof Health>;

export const Clock = z.object({ now: iso }).meta({ id: "Clock" });
export type Clock = z.infer<typeof Clock>;

export const ClockAdvanceRequest = z
  .object({ advance: z.string().describe("an ISO 8601 duration such as PT1H or P2D") })
  .strict()
  .meta({ id: "ClockAdvanceRequest" });
export type ClockAdvanceRequest = z.input<typeof ClockAdvanceRequest>;

export const ClockAdvance = Clock.extend({ ticks: z.number().describe("job runs, one per step of at most 15 minutes") }).meta({
  id: "ClockAdvance",
});
export type ClockAdvance = z.infer<typeof ClockAdvance>;
