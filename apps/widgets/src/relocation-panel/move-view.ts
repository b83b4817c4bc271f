import { html, nothing, type TemplateResult } from "lit";
import type { DryRunPlan, RelocationStarted, RelocationTarget } from "../shared/api-types.ts";
import type { Messages } from "../shared/i18n/index.ts";

/** A skip code of the API in words; a code this version does not know is shown as it is. */
export function skipReasonText(t: Messages, reason: string): string {
  const words = t.relocation.skipReasons;
  return Object.hasOwn(words, reason) ? words[reason as keyof typeof words] : reason;
}

/** What the move section shows and the callbacks it raises. */
export interface MoveViewModel {
  t: Messages;
  locale: string;
  targets: RelocationTarget[];
  targetId: string;
  preferOriginal: boolean;
  plan: DryRunPlan | null;
  /** The plan is in the confirm dialog, not here. */
  confirming: boolean;
  job: RelocationStarted | null;
  working: boolean;
  hint: string;
  onTarget(id: string): void;
  onPreferOriginal(on: boolean): void;
  onPreview(): void;
  onMove(): void;
  onStop(): void;
}

/** The target picker (valid targets only, with the reasons others are not offered), the switch, dry run and progress. */
export function renderMove(m: MoveViewModel): TemplateResult {
  const t = m.t.relocation;
  const eligible = m.targets.filter((x) => x.eligible);
  const ineligible = m.targets.filter((x) => !x.eligible);
  const running = m.job?.state === "running";
  // While a call is in flight the buttons are aria-disabled (Lit writes "true"/"false"), not disabled: they keep a keyboard user's focus.
  const busy = m.working;
  return html`
    <section class="move" aria-labelledby="move-title">
      <h3 id="move-title">${t.move}</h3>
      <fieldset part="targets" class="targets" ?disabled=${running}>
        <legend>${t.target}</legend>
        <p class="muted" id="target-help">${t.targetHelp}</p>
        ${
          eligible.length === 0
            ? html`<p class="no-targets">${t.noTargets}</p>`
            : html`<div class="target-list" role="radiogroup" aria-label=${t.target} aria-describedby="target-help">
              ${eligible.map(
                (x) => html`<label class="target">
                  <input
                    type="radio"
                    name="target"
                    value=${x.contactPointId}
                    .checked=${m.targetId === x.contactPointId}
                    @change=${() => m.onTarget(x.contactPointId)}
                  />
                  <span>${t.targetOption(x.name, x.recipientSystemName)}</span>
                </label>`,
              )}
            </div>`
        }
        ${
          ineligible.length
            ? html`<details class="not-offered">
              <summary>${t.notOffered} (${ineligible.length})</summary>
              <ul>
                ${ineligible.map(
                  (x) => html`<li>${t.targetOption(x.name, x.recipientSystemName)}: ${x.reason ? t.notOfferedReason[x.reason] : ""}</li>`,
                )}
              </ul>
            </details>`
            : nothing
        }
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            class="prefer-original"
            .checked=${m.preferOriginal}
            @change=${(e: Event) => m.onPreferOriginal((e.target as HTMLInputElement).checked)}
          />
          <span>${t.preferOriginal}</span>
        </label>
      </fieldset>
      <div class="row move-buttons">
        <button part="button preview-button" type="button" class="preview" ?disabled=${running} aria-disabled=${busy} @click=${m.onPreview}>
          ${t.preview}
        </button>
        <button part="button move-button" type="button" class="primary move-start" ?disabled=${running} aria-disabled=${busy} @click=${m.onMove}>
          ${t.move}
        </button>
      </div>
      ${m.hint ? html`<p class="hint error" role="alert">${m.hint}</p>` : nothing}
      ${m.plan && !m.confirming ? renderPlan(m, m.plan) : nothing}
      ${m.job ? renderProgress(m, m.job) : nothing}
    </section>
  `;
}

/** The dry-run result: how many go where, and how many stay. */
export function renderPlan(m: Pick<MoveViewModel, "t" | "locale">, plan: DryRunPlan): TemplateResult {
  const t = m.t.relocation;
  return html`<div class="plan" part="plan">
    <h4>${t.previewTitle}</h4>
    <p>${t.previewTotal(plan.total)}</p>
    <ul>
      ${plan.moves.map((mv) => html`<li>${t.previewMove(mv.count, mv.contactPointName, mv.recipientSystemName)}</li>`)}
    </ul>
    ${
      plan.skipped.length
        ? html`<p>${t.previewSkipped(plan.skipped.length)}</p>
          <ul class="skipped">
            ${plan.skipped.slice(0, 10).map((s) => html`<li>${t.skipReason(s.messageUUID, skipReasonText(m.t, s.reason))}</li>`)}
          </ul>`
        : nothing
    }
  </div>`;
}

function renderProgress(m: MoveViewModel, job: RelocationStarted): TemplateResult {
  const t = m.t.relocation;
  const done = job.moved + job.skipped;
  return html`<div class="progress" part="progress" role="group" aria-labelledby="progress-title">
    <h4 id="progress-title" tabindex="-1">${t.stateTitles[job.state]}</h4>
    <progress aria-label=${t.progressLabel} max=${Math.max(job.total, 1)} .value=${done}></progress>
    <p class="progress-text">${t.progress(job.moved, job.skipped, job.total)}</p>
    ${
      job.state === "running"
        ? html`<button part="button stop-button" type="button" class="danger stop" @click=${m.onStop}>${t.stop}</button>`
        : nothing
    }
  </div>`;
}
