export { EVENT_TYPE } from "./event-types.ts";
export type { EventType } from "./event-types.ts";
