import { html, nothing, type TemplateResult } from "lit";
import type { MessageSummary } from "../shared/api-types.ts";
import { formatDateTime } from "../shared/format.ts";
import type { EventContext } from "./event-text.ts";

/** What the finder shows: the query, the messages a label found (when several), or that nothing was found. */
export interface FindViewModel {
  ctx: EventContext;
  query: string;
  found: readonly MessageSummary[];
  notFound: string;
  busy: boolean;
  onQuery(q: string): void;
  onFind(): void;
  onTrace(uuid: string): void;
}

/** Find a message by its UUID or its exact title. */
export function renderFind(m: FindViewModel): TemplateResult {
  const t = m.ctx.t.eventLog;
  return html`
    <form
      part="find"
      class="find"
      role="search"
      aria-labelledby="find-title"
      @submit=${(e: Event) => {
        e.preventDefault();
        m.onFind();
      }}
    >
      <h3 id="find-title">${t.find}</h3>
      <div class="field">
        <label for="find-q">${t.findLabel}</label>
        <div class="row">
          <input
            type="search"
            id="find-q"
            class="find-input"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="find-help"
            .value=${m.query}
            @input=${(e: Event) => m.onQuery((e.target as HTMLInputElement).value)}
          />
          <button part="button find-button" type="submit" class="primary find-button" ?disabled=${m.busy || !m.query.trim()}>${t.findButton}</button>
        </div>
        <p id="find-help" class="muted">${t.findHelp}</p>
      </div>
      ${m.notFound ? html`<p class="not-found" role="status">${t.notFound(m.notFound)}</p>` : nothing}
      ${
        m.found.length > 1
          ? html`<p class="found-several">${t.foundSeveral(m.found.length)}</p>
            <ul class="found">
              ${m.found.map(
                (f) => html`<li>
                  <button part="button trace-button" type="button" class="link found-item" @click=${() => m.onTrace(f.messageUUID)}>
                    ${t.foundRow(f.label ?? t.noLabel, formatDateTime(f.receivedAt, m.ctx.locale))}
                  </button>
                  <span class="muted uuid">${f.messageUUID}</span>
                </li>`,
              )}
            </ul>`
          : nothing
      }
    </form>
  `;
}
