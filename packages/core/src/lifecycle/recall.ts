import { EVENT_TYPE } from "../delivery/event-types.ts";
import { MESSAGE_STATE } from "./message-state.ts";

/** The columns a recall writes: only a held message can be recalled (its sender, until the value date releases it). */
export function recall(now: Date): {
  guard: "held";
  next: { state: "recalled"; recalledAt: string; nextAttemptAt: null };
  event: "recalled";
} {
  return {
    guard: MESSAGE_STATE.held,
    next: { state: MESSAGE_STATE.recalled, recalledAt: now.toISOString(), nextAttemptAt: null },
    event: EVENT_TYPE.recalled,
  };
}

/** What {@link recall} answers. */
export type Recall = ReturnType<typeof recall>;
