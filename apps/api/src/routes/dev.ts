import { Hono } from "hono";
import { Clock, ClockAdvance, ClockAdvanceRequest } from "@postvej/contract";
import type { AppEnv } from "../app-env.ts";
import { requireOperator } from "../auth.ts";
import { kickDeliveries } from "../delivery/kick.ts";
import { ApiError } from "../errors.ts";
import { parseIsoDuration } from "../iso-duration.ts";
import { doc, noQuery, valid } from "../validate.ts";

/** The simulated clock (mounted only with POSTVEJ_CLOCK=simulated, never in production). */
export const devRoutes = new Hono<AppEnv>()
  .get(
    "/v1/dev/clock",
    doc({
      operationId: "getClock",
      summary: "The simulated clock (operator)",
      tags: ["dev"],
      responses: { 200: { description: "now", schema: Clock } },
      problems: { 404: "not the operator token, or the clock is not simulated" },
    }),
    noQuery(),
    async (c) => {
      requireOperator(c);
      return c.json({ now: (await c.get("deps").clock.now()).toISOString() });
    },
  )
  .post(
    "/v1/dev/clock",
    doc({
      operationId: "advanceClock",
      summary: "Advance the simulated clock and run every job that became due (operator)",
      tags: ["dev"],
      responses: { 200: { description: "the new time and what ran", schema: ClockAdvance } },
      problems: {
        404: "not the operator token, or the clock is not simulated",
        422: "`invalid_input`: advance is not a positive ISO 8601 duration of at most 60 days",
      },
    }),
    valid("json", ClockAdvanceRequest),
    async (c) => {
      requireOperator(c);
      const reports = await advanceClock(c.get("deps"), advanceMs(c.req.valid("json").advance, 60));
      // A tick's deliveries run before its flow: post the last tick moved on goes out now, not a tick later.
      kickDeliveries(c);
      return c.json({ now: reports.now.toISOString(), ticks: reports.ticks });
    },
  );

/** The milliseconds of an `advance` such as PT1H or P2D, at most `maxDays`; a 422 naming the field otherwise. */
export function advanceMs(advance: string, maxDays: number): number {
  const ms = parseIsoDuration(advance);
  if (ms === null || ms <= 0 || ms > maxDays * 86_400_000) {
    throw new ApiError(422, "invalid_input", `advance must be an ISO 8601 duration such as PT1H or P2D (at most ${maxDays} days)`, [
      { path: "advance", code: "invalid_duration", message: "not a positive ISO 8601 duration" },
    ]);
  }
  return ms;
}

/**
 * Moves the simulated clock forward one minute-tick at a time up to an hour apart, running the
 * jobs at each step, so day-2/5/7 thresholds and retries fire in order as they would in real time.
 */
export async function advanceClock(deps: AppEnv["Variables"]["deps"], ms: number): Promise<{ now: Date; ticks: number }> {
  const { clock } = deps;
  if (!clock.advance) throw new ApiError(404, "not_found", "the clock is not simulated");
  const STEP = 15 * 60_000;
  let left = ms;
  let ticks = 0;
  let now = await clock.now();
  while (left > 0) {
    const step = Math.min(STEP, left);
    now = await clock.advance(step);
    left -= step;
    await deps.runJobs(now);
    ticks++;
  }
  return { now, ticks };
}
