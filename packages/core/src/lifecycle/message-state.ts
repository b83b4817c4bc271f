import type { EVENT_TYPE } from "../delivery/event-types.ts";

/** A message's states (api.md): held until its value date, queued at a system, delivered, in Virk, or recalled. */
export const MESSAGE_STATE = {
  held: "held",
  queued: "queued",
  delivered: "delivered",
  inVirk: "in_virk",
  recalled: "recalled",
} as const;
export type MessageState = (typeof MESSAGE_STATE)[keyof typeof MESSAGE_STATE];

/** Where a message waits: a push system (the scheduler sends it), a pull system (it fetches), or Virk. */
export type Custody = "push" | "pull" | "virk";

/** The columns a message takes when it enters a queue. */
export type QueueEntry = { state: "held" | "queued" | "in_virk"; queuedAt: string; nextAttemptAt: string | null };

/** What a transition asks the caller to do besides writing the columns. */
export type MessageEffects = {
  /** Events to append, in order (the caller adds their data). */
  events: readonly MessageEventType[];
  /** A push is due now: a delivery run should start. */
  push: boolean;
};

type MessageEventType = typeof EVENT_TYPE.held | typeof EVENT_TYPE.landedInVirk | typeof EVENT_TYPE.released;
