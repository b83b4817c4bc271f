import { html, nothing, type TemplateResult } from "lit";
import type { Event, Page } from "../shared/api-types.ts";
import { formatDateTime } from "../shared/format.ts";
import { describeEvent, kindName, type EventContext } from "./event-text.ts";
import { KIND_GROUPS, type KindGroup, type LogFilters } from "./log-filters.ts";

/** What the filtered, paged event list shows and the callbacks it raises. */
export interface ListViewModel {
  ctx: EventContext;
  systems: readonly { id: string; name: string }[];
  draft: LogFilters;
  page: Page<Event> | null;
  pageIndex: number;
  onDraft(patch: Partial<LogFilters>): void;
  onApply(): void;
  onReset(): void;
  onPrev(): void;
  onNext(): void;
  onTrace(uuid: string): void;
}

/** The filters (system, kind, days), the page of events and its pager. */
export function renderList(m: ListViewModel): TemplateResult {
  const t = m.ctx.t.eventLog;
  const value = (e: globalThis.Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
  const option = (v: string, label: string) => html`<option value=${v} ?selected=${m.draft.kind === v}>${label}</option>`;
  return html`
    <section class="list" aria-labelledby="list-title">
      <h3 id="list-title" tabindex="-1">${t.list}</h3>
      <form
        part="filters"
        class="filters"
        aria-label=${t.filters}
        @submit=${(e: globalThis.Event) => {
          e.preventDefault();
          m.onApply();
        }}
      >
        <div class="field">
          <label for="l-system">${t.system}</label>
          <select id="l-system" @change=${(e: globalThis.Event) => m.onDraft({ recipientSystemId: value(e) })}>
            <option value="" ?selected=${m.draft.recipientSystemId === ""}>${t.anySystem}</option>
            ${m.systems.map((s) => html`<option value=${s.id} ?selected=${m.draft.recipientSystemId === s.id}>${s.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="l-kind">${t.kind}</label>
          <select id="l-kind" @change=${(e: globalThis.Event) => m.onDraft({ kind: value(e) })}>
            ${option("", t.anyKind)}
            <optgroup label=${t.groupsLabel}>${Object.keys(KIND_GROUPS).map((g) => option(`g:${g}`, t.groups[g as KindGroup]))}</optgroup>
            <optgroup label=${t.kindsLabel}>${Object.entries(t.kinds).map(([k, name]) => option(k, name))}</optgroup>
          </select>
        </div>
        <div class="field">
          <label for="l-from">${t.from}</label>
          <input type="date" id="l-from" .value=${m.draft.from} @input=${(e: globalThis.Event) => m.onDraft({ from: value(e) })} />
        </div>
        <div class="field">
          <label for="l-to">${t.to}</label>
          <input type="date" id="l-to" .value=${m.draft.to} @input=${(e: globalThis.Event) => m.onDraft({ to: value(e) })} />
        </div>
        <div class="row">
          <button part="button" type="submit" class="primary apply-filters">${t.apply}</button>
          <button part="button" type="button" class="reset-filters" @click=${m.onReset}>${t.reset}</button>
        </div>
      </form>
      ${m.page ? renderPage(m, m.page) : html`<p aria-busy="true">${m.ctx.t.common.loading}</p>`}
    </section>
  `;
}

function renderPage(m: ListViewModel, page: Page<Event>): TemplateResult {
  const t = m.ctx.t.eventLog;
  if (page.items.length === 0 && m.pageIndex === 0) return html`<p class="empty">${t.empty}</p>`;
  return html`
    <div class="table-wrap">
      <table part="table" class="events">
        <caption class="visually-hidden">${t.list}, ${t.pageNumber(m.pageIndex + 1)}</caption>
        <thead>
          <tr>
            <th scope="col">${t.colTime}</th>
            <th scope="col">${t.colKind}</th>
            <th scope="col">${t.colSystem}</th>
            <th scope="col">${t.colMessage}</th>
            <th scope="col">${t.colDetails}</th>
          </tr>
        </thead>
        <tbody>
          ${page.items.map(
            (e) => html`<tr data-event-id=${e.id} class=${e.type}>
              <td><time datetime=${e.at}>${formatDateTime(e.at, m.ctx.locale)}</time></td>
              <td class="kind">${kindName(e.type, m.ctx.t)}</td>
              <td>${e.recipientSystemId ? m.ctx.systemName(e.recipientSystemId) : nothing}</td>
              <td>
                ${
                  e.messageUUID
                    ? html`<button part="button trace-button" type="button" class="link uuid" @click=${() => m.onTrace(e.messageUUID ?? "")}>
                      ${e.messageUUID}
                    </button>`
                    : nothing
                }
              </td>
              <td class="details">${describeEvent(e, m.ctx)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <div class="row pager" part="pager">
      <button part="button" type="button" class="prev" ?disabled=${m.pageIndex === 0} @click=${m.onPrev}>${m.ctx.t.common.previous}</button>
      <span class="page-number">${t.pageNumber(m.pageIndex + 1)}</span>
      <button part="button" type="button" class="next" ?disabled=${!page.nextCursor} @click=${m.onNext}>${m.ctx.t.common.next}</button>
    </div>
  `;
}
