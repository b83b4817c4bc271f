import { PostvejEventLog } from "./event-log.ts";

PostvejEventLog.define("postvej-event-log");

declare global {
  interface HTMLElementTagNameMap {
    "postvej-event-log": PostvejEventLog;
  }
}

export { PostvejEventLog };
