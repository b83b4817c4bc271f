import { danishDate, danishMidnight, daysBetween } from "./copenhagen.ts";

/** The longest a sender may hold a message back, in days after today's Danish date. */
export const MAX_VALUE_DATE_DAYS = 12;

/** The outcome of applying a `doNotDeliverUntilDate`. */
export type ValueDateDecision =
  { ok: true; releaseAt: Date | null } | { ok: false; code: "value_date_too_far" | "value_date_invalid"; message: string };

/**
 * Applies the value-date rule (domain.md §3): a date up to 12 days after today's Danish date
 * holds the message until 00:00 Danish time that day; today or earlier means no delay.
 */
export function applyValueDate(date: string | null, now: Date): ValueDateDecision {
  if (date === null) return { ok: true, releaseAt: null };
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
  ) {
    return { ok: false, code: "value_date_invalid", message: `doNotDeliverUntilDate ${date} is not a real date` };
  }
  const today = danishDate(now);
  const ahead = daysBetween(today, date);
  if (ahead <= 0) return { ok: true, releaseAt: null };
  if (ahead > MAX_VALUE_DATE_DAYS) {
    return {
      ok: false,
      code: "value_date_too_far",
      message: `doNotDeliverUntilDate ${date} is ${ahead} days after today (${today}, Danish time); the limit is ${MAX_VALUE_DATE_DAYS} days`,
    };
  }
  return { ok: true, releaseAt: danishMidnight(date) };
}
