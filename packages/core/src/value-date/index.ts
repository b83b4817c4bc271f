export { applyValueDate, MAX_VALUE_DATE_DAYS } from "./value-date.ts";
export type { ValueDateDecision } from "./value-date.ts";
export { danishDate, danishMidnight, daysBetween } from "./copenhagen.ts";
