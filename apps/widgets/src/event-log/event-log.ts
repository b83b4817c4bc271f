import { html, type PropertyValues, type TemplateResult } from "lit";
import type { Event, MessageSummary, Page } from "../shared/api-types.ts";
import { ApiError } from "../shared/api-client.ts";
import { PostvejElement } from "../shared/base-element.ts";
import { themeStyles } from "../shared/theme.ts";
import { tableStyles } from "../shared/table-styles.ts";
import { eventLogStyles } from "./event-log.styles.ts";
import { eventContext, type EventContext } from "./event-text.ts";
import { renderFind } from "./find-view.ts";
import { renderList } from "./list-view.ts";
import { NO_FILTERS, type LogFilters } from "./log-filters.ts";
import { EventPager, loadNames, lookUp } from "./log-source.ts";
import { loadTrace, type Trace } from "./load-trace.ts";
import { renderTrace } from "./trace-view.ts";

/**
 * `<postvej-event-log>`: the authority's event log (hændelseslog). Find a message by its UUID or
 * title and see its trace as a vertical timeline, or list the events filtered by recipient
 * system, kind and days, a page at a time.
 */
export class PostvejEventLog extends PostvejElement {
  static override properties = {
    ...PostvejElement.properties,
    pageSize: { attribute: "page-size", type: Number },
    systems: { state: true },
    draft: { state: true },
    page: { state: true },
    pageIndex: { state: true },
    query: { state: true },
    found: { state: true },
    notFound: { state: true },
    trace: { state: true },
    busy: { state: true },
  };

  static override styles = [themeStyles, tableStyles, eventLogStyles];

  declare pageSize: number;
  declare systems: { id: string; name: string }[];
  declare draft: LogFilters;
  declare page: Page<Event> | null;
  declare pageIndex: number;
  declare query: string;
  declare found: MessageSummary[];
  declare notFound: string;
  declare trace: Trace | null;
  declare busy: boolean;

  #pager = new EventPager();
  #get = <T>(path: string) => this.api<T>("GET", path);
  #contactPoints = new Map<string, string>();

  constructor() {
    super();
    this.pageSize = 25;
    this.systems = [];
    this.draft = NO_FILTERS;
    this.page = null;
    this.pageIndex = 0;
    this.query = "";
    this.found = [];
    this.notFound = "";
    this.trace = null;
    this.busy = false;
  }

  protected override async load(): Promise<void> {
    try {
      const names = await loadNames(this.#get, this.authorityPath);
      this.systems = names.systems;
      this.#contactPoints = names.contactPoints;
    } catch (error) {
      this.reportError(error);
    }
    await this.#fetchPage(this.pageIndex, false);
  }

  /** Fetches the current page of the list, and the open trace, again (the host may call this after it changed something). */
  async refresh(): Promise<void> {
    if (!this.ready) return;
    const open = this.trace?.message.messageUUID;
    await Promise.all([this.#fetchPage(this.pageIndex, false), open ? this.showMessage(open, false) : undefined]);
  }

  /** Shows the events of one recipient system (the status panel's "see the events" asks for this through the host). */
  async showSystem(recipientSystemId: string): Promise<void> {
    this.trace = null;
    this.draft = { ...NO_FILTERS, recipientSystemId };
    await this.#apply();
    this.announce(this.t.eventLog.showingSystem(this.#ctx.systemName(recipientSystemId)));
    await this.#focus("#list-title");
  }

  /** Opens one message's trace by its UUID, and moves focus to it (unless `focus` is false: a refresh). */
  async showMessage(uuid: string, focus = true): Promise<void> {
    this.busy = true;
    try {
      this.trace = await loadTrace(this.#get, this.authorityPath, uuid);
      this.failure = "";
      this.notFound = "";
      if (!focus) return;
      this.announce(this.t.eventLog.showingTrace(this.trace.message.label ?? this.trace.message.messageUUID));
      await this.#focus("#trace-title");
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.notFound = uuid;
        this.trace = null;
      } else this.reportError(error);
    } finally {
      this.busy = false;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has("pageSize") && changed.get("pageSize") !== undefined && this.ready) void this.#fetchPage(0);
  }

  async #find(): Promise<void> {
    this.found = [];
    this.notFound = "";
    this.busy = true;
    try {
      const r = await lookUp(this.#get, this.authorityPath, this.query);
      if ("uuid" in r) return await this.showMessage(r.uuid);
      this.found = r.found;
      // None or several: an earlier message's trace is not this search's answer.
      if (r.found.length !== 1) this.trace = null;
      if (r.found.length === 0) this.notFound = this.query.trim();
      if (r.found.length === 1) await this.showMessage(r.found[0]?.messageUUID ?? "");
    } catch (error) {
      this.reportError(error);
    } finally {
      this.busy = false;
    }
  }

  async #apply(): Promise<void> {
    this.#pager.apply(this.draft);
    await this.#fetchPage(0);
  }

  /** Fetches page `index` of the list; `say` announces how many events it shows (not on the quiet refreshes). */
  async #fetchPage(index: number, say = true): Promise<void> {
    try {
      const page = await this.#pager.page(this.#get, this.authorityPath, index, this.pageSize);
      this.page = page;
      this.pageIndex = index;
      this.failure = "";
      if (say) this.announce(this.t.eventLog.shown(page.items.length));
    } catch (error) {
      this.reportError(error);
    }
  }

  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  get #ctx(): EventContext {
    return eventContext(this.t, this.systems, this.#contactPoints, this.trace?.relocationActors);
  }

  override render(): TemplateResult {
    const t = this.t;
    const ctx = this.#ctx;
    return html`
      <section part="base" class="panel" aria-labelledby="title">
        <header part="header"><h2 id="title">${t.eventLog.title}</h2></header>
        ${this.notices()}
        ${renderFind({
          ctx,
          query: this.query,
          found: this.found,
          notFound: this.notFound,
          busy: this.busy || !this.ready,
          onQuery: (q) => (this.query = q),
          onFind: () => void this.#find(),
          onTrace: (uuid) => void this.showMessage(uuid),
        })}
        ${
          this.trace
            ? renderTrace(this.trace, ctx, () => {
                this.trace = null;
                void this.#focus("#list-title");
              })
            : renderList({
                ctx,
                systems: this.systems,
                draft: this.draft,
                page: this.page,
                pageIndex: this.pageIndex,
                onDraft: (patch) => (this.draft = { ...this.draft, ...patch }),
                onApply: () => void this.#apply(),
                onReset: () => {
                  this.draft = NO_FILTERS;
                  void this.#apply();
                },
                onPrev: () => void this.#fetchPage(Math.max(0, this.pageIndex - 1)),
                onNext: () => void this.#fetchPage(this.pageIndex + 1),
                onTrace: (uuid) => void this.showMessage(uuid),
              })
        }
      </section>
    `;
  }
}
