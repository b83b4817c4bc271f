import { evaluateFlow, MOVE_ON_AFTER_MS, type SystemClocks } from "../delivery/redelivery-flow.ts";

/** A recipient system's states. */
export const SYSTEM_STATE = { active: "active", deactivated: "deactivated" } as const;
export type SystemState = (typeof SYSTEM_STATE)[keyof typeof SYSTEM_STATE];

/**
 * A write to a system's two clocks (last success, failing since) and its episode. `unlessRunning`:
 * each column is set only where it is not set yet (a failure starts clocks that may run already).
 */
export type ClockWrite = {
  lastDeliveredAt?: string;
  failingSince?: string | null;
  episodeStartedAt?: string | null;
  warnedDay2At?: null;
  warnedDay5At?: null;
  unlessRunning?: true;
};

/** The episode is over: the clocks and the warnings start afresh. */
export const EPISODE_CLEARED = {
  failingSince: null,
  episodeStartedAt: null,
  warnedDay2At: null,
  warnedDay5At: null,
} as const satisfies ClockWrite;

/** The system answered at `now` (a delivery or a receipt): the silence clock resets. */
export function afterDelivered(now: Date): ClockWrite {
  return { lastDeliveredAt: now.toISOString(), failingSince: null };
}

/** A failure at `now` starts the system's clocks (failing since, episode start) unless they run already. */
export function afterFailed(now: Date): ClockWrite {
  const at = now.toISOString();
  return { failingSince: at, episodeStartedAt: at, unlessRunning: true };
}

/**
 * The clock writes for a batch of attempts, per system: a success resets the silence clock; it
 * restarts at the first failure after the latest success.
 */
export function clocksAfterAttempts(attempts: readonly { systemId: string; at: string; delivered: boolean }[]): Map<string, ClockWrite[]> {
  const lastOk = new Map<string, string>();
  for (const a of attempts) if (a.delivered && (lastOk.get(a.systemId) ?? "") < a.at) lastOk.set(a.systemId, a.at);
  const firstFailure = new Map<string, string>();
  for (const a of attempts) {
    if (a.delivered || a.at <= (lastOk.get(a.systemId) ?? "")) continue;
    const first = firstFailure.get(a.systemId);
    if (first === undefined || a.at < first) firstFailure.set(a.systemId, a.at);
  }
  const writes = new Map<string, ClockWrite[]>();
  for (const [id, at] of lastOk) writes.set(id, [afterDelivered(new Date(at))]);
  for (const [id, at] of firstFailure) writes.set(id, [...(writes.get(id) ?? []), afterFailed(new Date(at))]);
  return writes;
}

/** A system in a failure episode: its id and the stored start of the episode (they name its warnings). */
export type EpisodeSystem = { id: string; episodeStartedAt: string | null; failingSince: string | null };

/** What the redelivery flow asks for one system at `now`. */
export type Evaluation =
  | { deactivate: { reason: "automatic" } }
  | {
      deactivate: null;
      /** Warnings due, each once per episode: the dedupe key keeps its e-mail from being queued twice. */
      warn: { day: 2 | 5; dedupeKey: string }[];
      /** Post whose first failure is at or before this has failed for seven days and moves on (primary, else Virk). */
      moveOn: { failedBefore: string };
      /** Nothing is undelivered any more: clear the episode ({@link EPISODE_CLEARED}). */
      endEpisode: boolean;
    };

/**
 * The redelivery flow (gensendelsesflow) for one active system at `now`: day-7 deactivation (after
 * seven days of silence), else the day-2 and day-5 warnings of this episode, the seven-day-old
 * failures moved on, and the end of a finished episode.
 */
export function evaluate(s: EpisodeSystem, clocks: SystemClocks, now: Date): Evaluation {
  const flow = evaluateFlow(clocks, now);
  if (flow.deactivate) return { deactivate: { reason: "automatic" } };
  const episodeKey = `${s.id}:${s.episodeStartedAt ?? s.failingSince ?? now.toISOString()}`;
  const warn: { day: 2 | 5; dedupeKey: string }[] = [];
  if (flow.warnDay2) warn.push({ day: 2, dedupeKey: `${episodeKey}:day2` });
  if (flow.warnDay5) warn.push({ day: 5, dedupeKey: `${episodeKey}:day5` });
  return {
    deactivate: null,
    warn,
    moveOn: { failedBefore: new Date(now.getTime() - MOVE_ON_AFTER_MS).toISOString() },
    endEpisode: flow.endEpisode,
  };
}

/** The columns a deactivation writes (only while the system is active), and the dedupe key of its notice. */
export function deactivate(systemId: string, reason: "automatic" | "manual", now: Date) {
  const at = now.toISOString();
  return {
    next: { state: SYSTEM_STATE.deactivated, deactivatedAt: at, deactivationReason: reason, updatedAt: at },
    noticeDedupeKey: `${systemId}:deactivated:${at}`,
  };
}

/** The columns a reactivation writes: active again with a fresh episode; new post routes to it. */
export function reactivate(now: Date) {
  return { state: SYSTEM_STATE.active, deactivatedAt: null, deactivationReason: null, ...EPISODE_CLEARED, updatedAt: now.toISOString() };
}
