import { html, nothing, type TemplateResult } from "lit";
import type { RelocationTarget, VirkPage } from "../shared/api-types.ts";
import { formatDateTime } from "../shared/format.ts";
import type { Messages } from "../shared/i18n/index.ts";
import type { Filters, Picked } from "./selection.ts";

/** What the mailbox view shows and the callbacks it raises. */
export interface MailboxViewModel {
  t: Messages;
  locale: string;
  draft: Filters;
  applied: Filters;
  targets: RelocationTarget[];
  page: VirkPage | null;
  pageIndex: number;
  pageSize: number;
  picked: Picked;
  canMove: boolean;
  onDraft(patch: Partial<Filters>): void;
  onApply(): void;
  onReset(): void;
  onToggle(id: string, on: boolean): void;
  onTogglePage(on: boolean): void;
  onSelectAll(): void;
  onClearSelection(): void;
  onPrev(): void;
  onNext(): void;
}

/** A sender as the mailbox and the history show it: `postvej (12345674)`, or the bare id without a label. */
export function renderSender(label: string | null, id: string | null): TemplateResult | string {
  if (!label) return id ?? "—";
  return id ? html`${label} <span class="muted">(${id})</span>` : label;
}

/** The number of messages picked (all matching counts the page total). */
export function pickedCount(picked: Picked, page: VirkPage | null): number {
  return picked.kind === "all" ? (page?.total ?? 0) : picked.ids.size;
}

/**
 * Filters, the one page of Virk messages, selection controls and the pager (its buttons aria-disabled,
 * not disabled, at either end, so a keyboard user keeps focus; the range it shows is announced).
 */
export function renderMailbox(m: MailboxViewModel): TemplateResult {
  const t = m.t.relocation;
  const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
  return html`
    <section class="mailbox" aria-labelledby="mailbox-title">
      <h3 id="mailbox-title">${t.mailbox}</h3>
      <form
        part="filters"
        class="filters"
        aria-label=${t.filters}
        @submit=${(e: Event) => {
          e.preventDefault();
          m.onApply();
        }}
      >
        <div class="field">
          <label for="f-from">${t.receivedFrom}</label>
          <input type="date" id="f-from" name="receivedFrom" .value=${m.draft.receivedFrom} @input=${(e: Event) => m.onDraft({ receivedFrom: value(e) })} />
        </div>
        <div class="field">
          <label for="f-to">${t.receivedTo}</label>
          <input type="date" id="f-to" name="receivedTo" .value=${m.draft.receivedTo} @input=${(e: Event) => m.onDraft({ receivedTo: value(e) })} />
        </div>
        <div class="field">
          <label for="f-cp">${t.originalContactPoint}</label>
          <select id="f-cp" name="originalContactPointId" @change=${(e: Event) => m.onDraft({ originalContactPointId: value(e) })}>
            <option value="" ?selected=${m.draft.originalContactPointId === ""}>${t.anyContactPoint}</option>
            ${m.targets.map(
              (cp) =>
                html`<option value=${cp.contactPointId} ?selected=${m.draft.originalContactPointId === cp.contactPointId}>${cp.name}</option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="f-sender">${t.sender}</label>
          <input type="text" id="f-sender" name="senderId" inputmode="numeric" autocomplete="off" .value=${m.draft.senderId} @input=${(e: Event) => m.onDraft({ senderId: value(e) })} />
        </div>
        <div class="row filter-buttons">
          <button part="button" type="submit" class="apply-filters">${t.applyFilters}</button>
          <button part="button" type="button" class="reset-filters" @click=${m.onReset}>${t.clearFilters}</button>
        </div>
      </form>
      ${m.page ? renderPage(m, m.page) : html`<p aria-busy="true">${m.t.common.loading}</p>`}
    </section>
  `;
}

function renderPage(m: MailboxViewModel, page: VirkPage): TemplateResult {
  const t = m.t.relocation;
  const loc = m.locale;
  if (page.total === 0 || page.items.length === 0) {
    const filtered = Object.values(m.applied).some(Boolean);
    return html`<p class="empty">${filtered ? t.empty : t.emptyMailbox}</p>`;
  }
  const from = m.pageIndex * m.pageSize + 1;
  const to = from + page.items.length - 1;
  const isPicked = (id: string) => m.picked.kind === "all" || m.picked.ids.has(id);
  const pageAll = page.items.every((i) => isPicked(i.messageUUID));
  const pageSome = !pageAll && page.items.some((i) => isPicked(i.messageUUID));
  const count = pickedCount(m.picked, page);
  return html`
    <div class="row selection-bar" part="selection-bar">
      <p class="total">${t.total(page.total)}</p>
      ${
        m.canMove
          ? html`
            <p class="selected-count" aria-live="polite">
              ${m.picked.kind === "all" ? t.allMatchingSelected(page.total) : t.selectedCount(count)}
            </p>
            ${
              m.picked.kind === "all" || page.total <= count
                ? nothing
                : html`<button part="button" type="button" class="select-all" @click=${m.onSelectAll}>
                  ${t.selectAllMatching(page.total)}
                </button>`
            }
            ${
              count > 0
                ? html`<button part="button" type="button" class="clear-selection" @click=${m.onClearSelection}>${t.clearSelection}</button>`
                : nothing
            }
          `
          : nothing
      }
    </div>
    <div class="table-wrap">
      <table part="table" class="messages">
        <caption class="visually-hidden">${t.mailbox}: ${t.pageInfo(from, to, page.total)}</caption>
        <thead>
          <tr>
            ${
              m.canMove
                ? html`<th scope="col" class="select-col">
                  <input
                    type="checkbox"
                    class="select-page"
                    aria-label=${t.selectPage}
                    .checked=${pageAll}
                    .indeterminate=${pageSome}
                    ?disabled=${m.picked.kind === "all"}
                    @change=${(e: Event) => m.onTogglePage((e.target as HTMLInputElement).checked)}
                  />
                </th>`
                : nothing
            }
            <th scope="col">${t.colLabel}</th>
            <th scope="col">${t.colSender}</th>
            <th scope="col">${t.colReceived}</th>
            <th scope="col">${t.colLanded}</th>
            <th scope="col">${t.colOriginal}</th>
          </tr>
        </thead>
        <tbody>
          ${page.items.map(
            (msg) => html`<tr data-uuid=${msg.messageUUID}>
              ${
                m.canMove
                  ? html`<td class="select-col">
                    <input
                      type="checkbox"
                      class="select-row"
                      aria-label=${t.selectRow(msg.label ?? msg.messageUUID)}
                      .checked=${isPicked(msg.messageUUID)}
                      ?disabled=${m.picked.kind === "all"}
                      @change=${(e: Event) => m.onToggle(msg.messageUUID, (e.target as HTMLInputElement).checked)}
                    />
                  </td>`
                  : nothing
              }
              <td class="label">${msg.label}</td>
              <td class="sender">${renderSender(msg.senderLabel, msg.senderId)}</td>
              <td><time datetime=${msg.receivedAt}>${formatDateTime(msg.receivedAt, loc)}</time></td>
              <td><time datetime=${msg.landedAt}>${formatDateTime(msg.landedAt, loc)}</time></td>
              <td>${msg.originalContactPointName ?? msg.originalContactPointId ?? "—"}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <nav class="row pager" part="pager" aria-label=${t.mailbox}>
      <button part="button" type="button" class="prev" aria-disabled=${m.pageIndex === 0} @click=${m.onPrev}>${m.t.common.previous}</button>
      <span class="page-info" aria-live="polite">${t.pageInfo(from, to, page.total)}</span>
      <button part="button" type="button" class="next" aria-disabled=${!page.nextCursor} @click=${m.onNext}>${m.t.common.next}</button>
    </nav>
  `;
}
