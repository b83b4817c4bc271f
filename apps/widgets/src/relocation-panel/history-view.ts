import { html, nothing, type TemplateResult } from "lit";
import type { Relocation, RelocationItem, RelocationTarget } from "../shared/api-types.ts";
import { formatDate, formatDateTime } from "../shared/format.ts";
import type { Messages } from "../shared/i18n/index.ts";
import { renderSender } from "./mailbox-view.ts";
import { skipReasonText } from "./move-view.ts";

/** The items of one relocation loaded so far. */
export interface ItemsState {
  items: RelocationItem[];
  nextCursor: string | null;
}

/** What the history view shows and the callbacks it raises. */
export interface HistoryViewModel {
  t: Messages;
  locale: string;
  history: Relocation[] | null;
  historyCursor: string | null;
  open: ReadonlyMap<string, ItemsState>;
  /** The contact points, for their names in a selection. */
  targets: RelocationTarget[];
  onToggleItems(id: string): void;
  onMoreItems(id: string): void;
  onMoreHistory(): void;
}

/** A one-line description of a relocation's selection; `names` maps contact point ids to names. */
export function describeSelection(r: Relocation, t: Messages, locale: string, names: ReadonlyMap<string, string>): string {
  const s = r.selection;
  const tr = t.relocation;
  let text: string;
  if (s.messageUUIDs?.length) text = tr.selectionUuids(s.messageUUIDs.length);
  else {
    const parts: string[] = [];
    if (s.receivedFrom) parts.push(`${tr.receivedFrom} ${formatDate(s.receivedFrom, locale)}`);
    if (s.receivedTo) parts.push(`${tr.receivedTo} ${formatDate(s.receivedTo, locale)}`);
    if (s.originalContactPointId)
      parts.push(`${tr.originalContactPoint} ${names.get(s.originalContactPointId) ?? s.originalContactPointId}`);
    if (s.senderId) parts.push(`${tr.sender} ${s.senderId}`);
    text = parts.length ? tr.selectionFilter(parts.join(", ")) : tr.selectionAll;
  }
  return r.preferOriginal ? `${text}; ${tr.preferOriginalShort}` : text;
}

/** The move history; each move can be opened to show which message went where. */
export function renderHistory(m: HistoryViewModel): TemplateResult {
  const t = m.t.relocation;
  const loc = m.locale;
  const names = new Map(m.targets.map((x) => [x.contactPointId, x.name]));
  return html`<section class="history" part="history" aria-labelledby="history-title">
    <h3 id="history-title">${t.history}</h3>
    ${
      m.history === null
        ? html`<p aria-busy="true">${m.t.common.loading}</p>`
        : m.history.length === 0
          ? html`<p class="no-history">${t.noHistory}</p>`
          : html`<ol class="history-list">
            ${m.history.map((r) => {
              const items = m.open.get(r.id);
              const itemsId = `items-${r.id}`;
              return html`<li class="history-entry" data-relocation-id=${r.id}>
                <dl class="facts">
                  <div><dt>${t.historyCreated}</dt><dd><time datetime=${r.createdAt}>${formatDateTime(r.createdAt, loc)}</time></dd></div>
                  <div><dt>${t.historyActor}</dt><dd class="actor">${r.actor.name}</dd></div>
                  <div><dt>${t.historySelection}</dt><dd>${describeSelection(r, m.t, loc, names)}</dd></div>
                  <div><dt>${t.historyTarget}</dt><dd class="target-name">${r.targetContactPointName}</dd></div>
                  <div><dt>${t.historyState}</dt><dd class="state">${t.states[r.state]}</dd></div>
                  <div><dt>${t.historyCounts}</dt><dd class="counts">${r.moved} / ${r.skipped} / ${r.total}</dd></div>
                </dl>
                <button
                  part="button items-button"
                  type="button"
                  class="toggle-items"
                  aria-expanded=${items ? "true" : "false"}
                  aria-controls=${itemsId}
                  @click=${() => m.onToggleItems(r.id)}
                >
                  ${items ? t.hideItems : t.showItems(r.total)}
                </button>
                <div id=${itemsId} class="items">${items ? renderItems(m, r, items) : nothing}</div>
              </li>`;
            })}
          </ol>
          ${
            m.historyCursor
              ? html`<button part="button" type="button" class="more-history" @click=${m.onMoreHistory}>${t.loadMore}</button>`
              : nothing
          }`
    }
  </section>`;
}

function renderItems(m: HistoryViewModel, r: Relocation, s: ItemsState): TemplateResult {
  const t = m.t.relocation;
  return html`<div class="table-wrap"><table part="table" class="items-table">
      <caption class="visually-hidden">${t.historyItems}</caption>
      <thead>
        <tr>
          <th scope="col">${t.colLabel}</th>
          <th scope="col">${t.colSender}</th>
          <th scope="col">${t.colReceived}</th>
          <th scope="col">${t.itemTo}</th>
          <th scope="col">${t.itemOutcome}</th>
        </tr>
      </thead>
      <tbody>
        ${s.items.map(
          (i) => html`<tr data-uuid=${i.messageUUID}>
            <td>${i.label}</td>
            <td class="sender">${renderSender(i.senderLabel, i.senderId)}</td>
            <td>${i.receivedAt ? html`<time datetime=${i.receivedAt}>${formatDateTime(i.receivedAt, m.locale)}</time>` : "—"}</td>
            <td class="to">${i.toContactPointName ?? "—"}</td>
            <td class="outcome">${t.outcome[i.outcome]}${i.reason ? `: ${skipReasonText(m.t, i.reason)}` : ""}</td>
          </tr>`,
        )}
      </tbody>
    </table></div>
    ${
      s.nextCursor
        ? html`<button part="button" type="button" class="more-items" @click=${() => m.onMoreItems(r.id)}>${t.loadMore}</button>`
        : nothing
    }`;
}
