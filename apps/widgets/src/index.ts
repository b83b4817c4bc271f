/** The postvej widgets: importing this module registers the three panels (safe to load twice). */
export { PostvejStatusPanel } from "./status-panel/define.ts";
export { PostvejRelocationPanel } from "./relocation-panel/define.ts";
export { PostvejEventLog } from "./event-log/define.ts";
export { PostvejElement } from "./shared/base-element.ts";
export type * from "./shared/api-types.ts";
export type * from "./shared/events.ts";
