/** How long after a relocation an identical request is answered with it rather than started again (the manual actions' minute). */
export const RELOCATION_REPEAT_WINDOW_MS = 60_000;

/** The relocation an identical request may be a repeat of: its state and when it was made (domain time). */
export type EarlierRelocation = { state: "running" | "finished" | "stopped"; createdAt: string };

/**
 * True when an identical request (the same selection, target and `preferOriginal`, for the same
 * authority) at `now` is a repeat of `earlier`: it is still running, or it finished, was made within
 * {@link RELOCATION_REPEAT_WINDOW_MS}, and its selection finds nothing in the Virk mailbox now
 * (`leftInVirk` false). A repeat is answered with `earlier`, and moves nothing again. Post that
 * landed in Virk since, and matches, is a reason to move again, so such a request is a new move.
 * A stopped one is never repeated: moving the rest after a stop is a new request.
 */
export function isRepeatRelocation(earlier: EarlierRelocation | undefined, now: Date, leftInVirk: boolean): boolean {
  if (!earlier) return false;
  if (earlier.state === "running") return true;
  return earlier.state === "finished" && !leftInVirk && now.getTime() - Date.parse(earlier.createdAt) < RELOCATION_REPEAT_WINDOW_MS;
}
