import { EVENT_TYPE } from "../delivery/event-types.ts";
import { MESSAGE_STATE, type Custody, type MessageEffects, type QueueEntry } from "./message-state.ts";

/**
 * A message enters its custodian's queue at `now`: a push custodian's first attempt is due now, a
 * pull custodian's post waits for the fetch, Virk keeps it (`in_virk`). Held until `releaseAt` when
 * the value date lies ahead (it enters for real at {@link release}).
 */
export function enterQueue(to: Custody, now: Date, releaseAt: Date | null = null): QueueEntry & MessageEffects {
  if (releaseAt)
    return { state: MESSAGE_STATE.held, queuedAt: releaseAt.toISOString(), nextAttemptAt: null, events: [EVENT_TYPE.held], push: false };
  const at = now.toISOString();
  if (to === "virk")
    return { state: MESSAGE_STATE.inVirk, queuedAt: at, nextAttemptAt: null, events: [EVENT_TYPE.landedInVirk], push: false };
  return { state: MESSAGE_STATE.queued, queuedAt: at, nextAttemptAt: to === "push" ? at : null, events: [], push: to === "push" };
}

/** A held message's value date has come: it enters its queue now, with a `released` event first. */
export function release(to: Custody, now: Date): QueueEntry & MessageEffects {
  const entry = enterQueue(to, now);
  return { ...entry, events: [EVENT_TYPE.released, ...entry.events] };
}
