import type { RelocationRequest } from "../shared/api-types.ts";
import type { Messages } from "../shared/i18n/index.ts";
import { toSelection, type Filters, type Picked } from "./selection.ts";

/** What the move form holds when the administrator asks for a dry run or a move. */
export interface MoveForm {
  picked: Picked;
  pickedCount: number;
  applied: Filters;
  targetId: string;
  preferOriginal: boolean;
}

/** The request to send, or the hint saying what is missing (nothing picked, no target). */
export function moveRequest(f: MoveForm, dryRun: boolean, t: Messages): { body: RelocationRequest } | { hint: string } {
  if (f.pickedCount === 0) return { hint: t.relocation.needSelection };
  if (!f.targetId) return { hint: t.relocation.needTarget };
  return {
    body: { selection: toSelection(f.picked, f.applied), targetContactPointId: f.targetId, preferOriginal: f.preferOriginal, dryRun },
  };
}
