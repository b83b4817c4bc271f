/** The milestones of a failure episode, in days (domain.md §6). */
export const EPISODE_DAYS = { warningDay2: 2, warningDay5: 5, deactivation: 7 } as const;
const DAY = 86_400_000;

/** Steps the flow can take next, as the status endpoint names them. */
export const NEXT_STEP = { warningDay2: "warning_day2", warningDay5: "warning_day5", deactivation: "deactivation" } as const;
export type NextStepKind = (typeof NEXT_STEP)[keyof typeof NEXT_STEP];

/** A recipient system's two clocks and the warnings sent in the current episode. */
export type SystemClocks = {
  state: "active" | "deactivated";
  /** Silence: first failed attempt since the last successful delivery; null after a success. */
  failingSince: Date | null;
  /** First failure of the oldest message still undelivered there; null when none is. */
  oldestUndeliveredAt: Date | null;
  warnedDay2At: Date | null;
  warnedDay5At: Date | null;
};

/** What the flow decides for one system at `now`. */
export type FlowDecision = {
  warnDay2: boolean;
  warnDay5: boolean;
  deactivate: boolean;
  /** The episode is over (nothing undelivered any more): reset the clocks and forget its warnings. */
  endEpisode: boolean;
  nextStep: { kind: NextStepKind; at: Date } | null;
};

/**
 * Decides the day-2 and day-5 warnings (once per episode, measured from the oldest undelivered
 * message's first failure) and the day-7 deactivation (only after seven days of silence: not one
 * successful delivery), plus the next step for the status panel.
 */
export function evaluateFlow(c: SystemClocks, now: Date): FlowDecision {
  const t = now.getTime();
  const active = c.state === "active";
  const oldest = c.oldestUndeliveredAt?.getTime() ?? null;
  const silence = c.failingSince?.getTime() ?? null;
  const day2 = oldest === null ? null : oldest + EPISODE_DAYS.warningDay2 * DAY;
  const day5 = oldest === null ? null : oldest + EPISODE_DAYS.warningDay5 * DAY;
  const day7 = silence === null ? null : silence + EPISODE_DAYS.deactivation * DAY;
  const warnDay2 = active && day2 !== null && t >= day2 && !c.warnedDay2At;
  const warnDay5 = active && day5 !== null && t >= day5 && !c.warnedDay5At;
  // Deactivation needs an undelivered message too: silence alone with nothing to deliver harms nobody.
  const deactivate = active && day7 !== null && t >= day7 && oldest !== null;
  const endEpisode = oldest === null && (silence !== null || c.warnedDay2At !== null || c.warnedDay5At !== null);

  let nextStep: FlowDecision["nextStep"] = null;
  if (active && oldest !== null) {
    const candidates: { kind: NextStepKind; at: number }[] = [];
    if (!c.warnedDay2At && !warnDay2 && day2 !== null) candidates.push({ kind: NEXT_STEP.warningDay2, at: day2 });
    if (!c.warnedDay5At && !warnDay5 && day5 !== null) candidates.push({ kind: NEXT_STEP.warningDay5, at: day5 });
    if (day7 !== null && !deactivate) candidates.push({ kind: NEXT_STEP.deactivation, at: day7 });
    candidates.sort((a, b) => a.at - b.at);
    const first = candidates[0];
    if (first) nextStep = { kind: first.kind, at: new Date(first.at) };
  }
  return { warnDay2, warnDay5, deactivate, endEpisode, nextStep };
}

/** A message that has failed this long on a still-active system moves on (to the primary, else Virk). */
export const MOVE_ON_AFTER_MS = EPISODE_DAYS.deactivation * DAY;

/** The timeline of an episode for display: day 2, 5 and 7 measured from their clocks. */
export function episodeTimeline(c: SystemClocks): { startedAt: Date; day2At: Date; day5At: Date; day7At: Date } | null {
  const start = c.oldestUndeliveredAt ?? c.failingSince;
  if (!start) return null;
  const s = start.getTime();
  const silence = (c.failingSince ?? start).getTime();
  return {
    startedAt: start,
    day2At: new Date(s + EPISODE_DAYS.warningDay2 * DAY),
    day5At: new Date(s + EPISODE_DAYS.warningDay5 * DAY),
    day7At: new Date(silence + EPISODE_DAYS.deactivation * DAY),
  };
}
