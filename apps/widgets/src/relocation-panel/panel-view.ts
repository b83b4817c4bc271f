import { html, nothing, type TemplateResult } from "lit";
import type { Messages } from "../shared/i18n/index.ts";
import { renderConfirm, type ConfirmViewModel } from "./confirm-view.ts";
import { renderHistory, type HistoryViewModel } from "./history-view.ts";
import { renderMailbox, type MailboxViewModel } from "./mailbox-view.ts";
import { renderMove, type MoveViewModel } from "./move-view.ts";

/** Everything the relocation panel shows and every callback its views raise (each view reads its part). */
export interface RelocationPanelModel extends MailboxViewModel, MoveViewModel, HistoryViewModel, ConfirmViewModel {
  t: Messages;
  /** The live region, "no access" and the error shown (the base element's `notices()`). */
  notices: TemplateResult;
}

/** The callbacks of the panel's views: the element carries each out. */
export type RelocationActions = Pick<RelocationPanelModel, Extract<keyof RelocationPanelModel, `on${string}`>>;

/** The panel: live region, errors, the mailbox, the move section (with `relocate`), the history and the confirm dialog. */
export function renderRelocationPanel(m: RelocationPanelModel): TemplateResult {
  const t = m.t;
  return html`<section part="base" class="panel" aria-labelledby="title">
    <h2 id="title">${t.relocation.title}</h2>
    ${m.notices}
    ${renderMailbox(m)} ${m.canMove ? renderMove(m) : nothing} ${renderHistory(m)} ${renderConfirm(m)}
  </section>`;
}
