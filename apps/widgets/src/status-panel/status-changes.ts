import type { AuthorityStatus } from "../shared/api-types.ts";
import type { Messages } from "../shared/i18n/index.ts";

/** What changed between two status answers, as one sentence for the live region ("" if nothing did or there was none before). */
export function statusChangesText(before: AuthorityStatus | null, after: AuthorityStatus, t: Messages): string {
  if (!before) return "";
  const said: string[] = [];
  for (const s of after.systems) {
    const old = before.systems.find((o) => o.id === s.id);
    if (old && old.state !== s.state) said.push(t.status.stateChanged(s.name, t.status.state[s.state]));
  }
  if (before.virkCount !== after.virkCount) said.push(t.status.virkChanged(after.virkCount));
  return said.join(" ");
}
