import { html, nothing, type TemplateResult } from "lit";
import type { DryRunPlan, RelocationTarget } from "../shared/api-types.ts";
import type { Messages } from "../shared/i18n/index.ts";
import { renderPlan } from "./move-view.ts";

/** What the confirm dialog shows and the callbacks it raises. */
export interface ConfirmViewModel {
  t: Messages;
  locale: string;
  /** The dry run being confirmed; the dialog is empty unless `confirming`. */
  plan: DryRunPlan | null;
  confirming: boolean;
  targets: RelocationTarget[];
  targetId: string;
  preferOriginal: boolean;
  onConfirm(): void;
  onCancelConfirm(): void;
}

/** The modal confirm step: the count and the target, the plan, and yes / cancel. */
export function renderConfirm(m: ConfirmViewModel): TemplateResult {
  const t = m.t;
  const name = m.targets.find((x) => x.contactPointId === m.targetId)?.name ?? m.targetId;
  const toMove = m.plan?.moves.reduce((n, mv) => n + mv.count, 0) ?? 0;
  return html`<dialog part="dialog" class="confirm" aria-labelledby="confirm-title" @cancel=${() => m.onCancelConfirm()}>
    ${
      m.confirming && m.plan
        ? html`<h3 id="confirm-title">${t.relocation.confirmTitle}</h3>
          <p class="confirm-text">${t.relocation.confirmText(toMove, name)}</p>
          ${m.preferOriginal ? html`<p class="confirm-prefer">${t.relocation.confirmPreferOriginal(name)}</p>` : nothing}
          ${renderPlan(m, m.plan)}
          <div class="row">
            <button part="button confirm-button" type="button" class="primary confirm-move" autofocus @click=${() => m.onConfirm()}>
              ${t.relocation.confirm}
            </button>
            <button part="button" type="button" class="cancel-move" @click=${() => m.onCancelConfirm()}>${t.common.cancel}</button>
          </div>`
        : nothing
    }
  </dialog>`;
}
