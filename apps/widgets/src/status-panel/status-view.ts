import { html, nothing, type TemplateResult } from "lit";
import type { AuthorityStatus } from "../shared/api-types.ts";
import { formatDate } from "../shared/format.ts";
import { renderSystem, type SystemViewModel } from "./system-view.ts";

/** What the status panel shows around the system cards. */
export interface StatusViewModel extends SystemViewModel {
  status: AuthorityStatus | null;
  ready: boolean;
  failure: string;
  /** The live region, "no access" and the error shown (the base element's `notices()`). */
  notices: TemplateResult;
  onRefresh(): void;
}

/** The panel: header with the refresh button, live region, errors, and the status (or the loading line). */
export function renderStatusPanel(m: StatusViewModel): TemplateResult {
  const t = m.t;
  const s = m.status;
  return html`
    <section part="base" class="panel" aria-labelledby="title">
      <header part="header">
        <div>
          <h2 id="title">${t.status.title}</h2>
          ${
            s
              ? html`<p>${t.status.authority(s.authority.name, s.authority.cvr)}</p>
                <p class="muted">${t.status.today(formatDate(s.now, m.locale))}</p>`
              : nothing
          }
        </div>
        <button part="button refresh-button" type="button" @click=${() => m.onRefresh()} ?disabled=${!m.ready}>${t.common.refresh}</button>
      </header>
      ${m.notices}
      ${s ? renderStatus(m, s) : m.ready && !m.failure ? html`<p aria-busy="true">${t.common.loading}</p>` : nothing}
    </section>
  `;
}

/** The Virk count and one card per recipient system (or the empty state). */
function renderStatus(m: SystemViewModel, s: AuthorityStatus): TemplateResult {
  const t = m.t;
  return html`
    <p part="virk-count" class="virk">
      <span>${t.status.virkCount}:</span>
      <strong class="virk-count">${t.status.virkCountValue(s.virkCount)}</strong>
    </p>
    ${
      s.systems.length === 0
        ? html`<p>${t.status.noSystems}</p>`
        : html`<ul class="systems" part="systems">
          ${s.systems.map((sys) => html`<li>${renderSystem(m, sys, s.now)}</li>`)}
        </ul>`
    }
  `;
}
