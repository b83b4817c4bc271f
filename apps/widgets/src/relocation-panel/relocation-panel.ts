import { html, nothing, type TemplateResult } from "lit";
import type {
  DryRunPlan,
  Page,
  Relocation,
  RelocationItem,
  RelocationRequest,
  RelocationStarted,
  RelocationTarget,
  VirkPage,
} from "../shared/api-types.ts";
import { PostvejElement } from "../shared/base-element.ts";
import { themeStyles } from "../shared/theme.ts";
import { tableStyles } from "../shared/table-styles.ts";
import { renderHistory, type ItemsState } from "./history-view.ts";
import { pickedCount, renderMailbox } from "./mailbox-view.ts";
import { renderMove, renderPlan } from "./move-view.ts";
import { relocationPanelStyles } from "./relocation-panel.styles.ts";
import { emptyFilters, mailboxQuery, toSelection, type Filters, type Picked } from "./selection.ts";

/**
 * `<postvej-relocation-panel>`: the Virk mailbox one page at a time, with filters; pick some
 * messages, a page, or everything matching; choose a valid target; preview; confirm; follow the
 * job (and stop it); and read the move history with each move's messages.
 */
export class PostvejRelocationPanel extends PostvejElement {
  static override properties = {
    ...PostvejElement.properties,
    pageSize: { attribute: "page-size", type: Number },
    pollInterval: { attribute: "poll-interval", type: Number },
    draft: { state: true },
    applied: { state: true },
    page: { state: true },
    cursors: { state: true },
    picked: { state: true },
    targets: { state: true },
    targetId: { state: true },
    preferOriginal: { state: true },
    plan: { state: true },
    confirming: { state: true },
    job: { state: true },
    working: { state: true },
    hint: { state: true },
    history: { state: true },
    historyCursor: { state: true },
    open: { state: true },
  };

  static override styles = [themeStyles, tableStyles, relocationPanelStyles];

  declare pageSize: number;
  declare pollInterval: number;
  declare draft: Filters;
  declare applied: Filters;
  declare page: VirkPage | null;
  /** Cursor of each page visited so far; the last one is the current page's. */
  declare cursors: (string | null)[];
  declare picked: Picked;
  declare targets: RelocationTarget[];
  declare targetId: string;
  declare preferOriginal: boolean;
  declare plan: DryRunPlan | null;
  declare confirming: boolean;
  declare job: RelocationStarted | null;
  declare working: boolean;
  declare hint: string;
  declare history: Relocation[] | null;
  declare historyCursor: string | null;
  declare open: ReadonlyMap<string, ItemsState>;

  #poll: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.pageSize = 25;
    this.pollInterval = 1000;
    this.draft = emptyFilters;
    this.applied = emptyFilters;
    this.page = null;
    this.cursors = [null];
    this.picked = { kind: "some", ids: new Set() };
    this.targets = [];
    this.targetId = "";
    this.preferOriginal = true;
    this.plan = null;
    this.confirming = false;
    this.job = null;
    this.working = false;
    this.hint = "";
    this.history = null;
    this.historyCursor = null;
    this.open = new Map();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#poll);
  }

  protected override async load(): Promise<void> {
    await Promise.all([this.#loadTargets(), this.#loadPage(), this.#loadHistory()]);
  }

  /** Reloads the mailbox page, the targets and the history (the host may call this). */
  refresh(): Promise<void> {
    return this.load();
  }

  async #loadTargets(): Promise<void> {
    try {
      const res = await this.api<Page<RelocationTarget>>("GET", `${this.authorityPath}/relocation-targets`);
      this.targets = res.items;
      if (!res.items.some((x) => x.eligible && x.contactPointId === this.targetId)) this.targetId = "";
    } catch (error) {
      this.reportError(error);
    }
  }

  async #loadPage(): Promise<void> {
    try {
      const cursor = this.cursors[this.cursors.length - 1] ?? null;
      const q = mailboxQuery(this.applied, this.pageSize, cursor);
      this.page = await this.api<VirkPage>("GET", `${this.authorityPath}/virk/messages?${q}`);
    } catch (error) {
      this.reportError(error);
    }
  }

  async #loadHistory(more = false): Promise<void> {
    try {
      const q = new URLSearchParams({ limit: "20" });
      if (more && this.historyCursor) q.set("cursor", this.historyCursor);
      const res = await this.api<Page<Relocation>>("GET", `${this.authorityPath}/relocations?${q}`);
      this.history = more ? [...(this.history ?? []), ...res.items] : res.items;
      this.historyCursor = res.nextCursor;
    } catch (error) {
      this.reportError(error);
    }
  }

  async #toggleItems(id: string, more = false): Promise<void> {
    const current = this.open.get(id);
    if (current && !more) {
      const next = new Map(this.open);
      next.delete(id);
      this.open = next;
      return;
    }
    try {
      const q = new URLSearchParams({ limit: "50" });
      if (more && current?.nextCursor) q.set("cursor", current.nextCursor);
      const res = await this.api<Page<RelocationItem>>("GET", `${this.authorityPath}/relocations/${encodeURIComponent(id)}/items?${q}`);
      const next = new Map(this.open);
      next.set(id, { items: [...(more ? (current?.items ?? []) : []), ...res.items], nextCursor: res.nextCursor });
      this.open = next;
    } catch (error) {
      this.reportError(error);
    }
  }

  #applyFilters(filters: Filters): void {
    this.draft = filters;
    this.applied = filters;
    this.cursors = [null];
    this.picked = { kind: "some", ids: new Set() };
    this.plan = null;
    void this.#loadPage();
  }

  #toggle(id: string, on: boolean): void {
    if (this.picked.kind === "all") return;
    const ids = new Set(this.picked.ids);
    if (on) ids.add(id);
    else ids.delete(id);
    this.picked = { kind: "some", ids };
    this.plan = null;
  }

  #togglePage(on: boolean): void {
    if (this.picked.kind === "all" || !this.page) return;
    const ids = new Set(this.picked.ids);
    for (const m of this.page.items) {
      if (on) ids.add(m.messageUUID);
      else ids.delete(m.messageUUID);
    }
    this.picked = { kind: "some", ids };
    this.plan = null;
  }

  #request(dryRun: boolean): RelocationRequest | null {
    if (pickedCount(this.picked, this.page) === 0) {
      this.hint = this.t.relocation.needSelection;
      return null;
    }
    if (!this.targetId) {
      this.hint = this.t.relocation.needTarget;
      return null;
    }
    this.hint = "";
    return {
      selection: toSelection(this.picked, this.applied),
      targetContactPointId: this.targetId,
      preferOriginal: this.preferOriginal,
      dryRun,
    };
  }

  async #preview(): Promise<DryRunPlan | null> {
    const body = this.#request(true);
    if (!body) return null;
    this.working = true;
    try {
      this.plan = await this.api<DryRunPlan>("POST", `${this.authorityPath}/relocations`, body);
      return this.plan;
    } catch (error) {
      this.reportError(error);
      return null;
    } finally {
      this.working = false;
    }
  }

  async #startConfirm(): Promise<void> {
    const plan = await this.#preview();
    if (!plan) return;
    this.confirming = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLDialogElement>("dialog.confirm")?.showModal();
  }

  #closeConfirm(): void {
    this.confirming = false;
    this.renderRoot.querySelector<HTMLDialogElement>("dialog.confirm")?.close();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>("button.move-start")?.focus());
  }

  async #confirm(): Promise<void> {
    const body = this.#request(false);
    this.confirming = false;
    this.renderRoot.querySelector<HTMLDialogElement>("dialog.confirm")?.close();
    if (!body) return;
    this.working = true;
    try {
      const job = await this.api<RelocationStarted>("POST", `${this.authorityPath}/relocations`, body);
      this.job = job;
      this.plan = null;
      this.announce(this.t.relocation.started(job.total));
      this.emit("postvej-relocation-started", { relocation: job });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#progress-title")?.focus();
      await this.#follow(job);
    } catch (error) {
      this.reportError(error);
    } finally {
      this.working = false;
    }
  }

  async #follow(job: RelocationStarted): Promise<void> {
    clearTimeout(this.#poll);
    if (job.state === "running") {
      this.#poll = setTimeout(async () => {
        try {
          const next = await this.api<Relocation>("GET", `${this.authorityPath}/relocations/${encodeURIComponent(job.id)}`);
          this.job = next;
          await this.#follow(next);
        } catch (error) {
          this.reportError(error);
        }
      }, this.pollInterval);
      return;
    }
    // The stop button goes away with the run; keep a keyboard user's place on the progress heading.
    if (this.renderRoot instanceof ShadowRoot && this.renderRoot.activeElement?.classList.contains("stop")) {
      this.renderRoot.querySelector<HTMLElement>("#progress-title")?.focus();
    }
    this.announce(job.state === "stopped" ? this.t.relocation.stopped(job.moved) : this.t.relocation.finished(job.moved, job.skipped));
    this.emit("postvej-relocation-finished", { relocation: job });
    this.picked = { kind: "some", ids: new Set() };
    this.cursors = [null];
    await this.load();
  }

  async #stop(): Promise<void> {
    if (!this.job) return;
    try {
      const next = await this.api<Relocation>("POST", `${this.authorityPath}/relocations/${encodeURIComponent(this.job.id)}/stop`);
      this.job = next;
      await this.#follow(next);
    } catch (error) {
      this.reportError(error);
    }
  }

  override render(): TemplateResult {
    const t = this.t;
    const canMove = this.can("relocate");
    const target = this.targets.find((x) => x.contactPointId === this.targetId);
    const toMove = this.plan?.moves.reduce((n, m) => n + m.count, 0) ?? 0;
    return html`<section part="base" class="panel" aria-labelledby="title">
      <h2 id="title">${t.relocation.title}</h2>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      ${!this.token ? html`<p class="error" part="error">${t.common.notSignedIn}</p>` : nothing}
      ${this.failure ? html`<p class="error" part="error" role="alert">${this.failure}</p>` : nothing}
      ${renderMailbox({
        t,
        locale: this.locale,
        draft: this.draft,
        applied: this.applied,
        contactPoints: this.targets,
        page: this.page,
        pageIndex: this.cursors.length - 1,
        pageSize: this.pageSize,
        picked: this.picked,
        canSelect: canMove,
        onDraft: (patch) => (this.draft = { ...this.draft, ...patch }),
        onApply: () => this.#applyFilters(this.draft),
        onReset: () => this.#applyFilters(emptyFilters),
        onToggle: (id, on) => this.#toggle(id, on),
        onTogglePage: (on) => this.#togglePage(on),
        onSelectAll: () => {
          this.picked = { kind: "all" };
          this.plan = null;
        },
        onClearSelection: () => {
          this.picked = { kind: "some", ids: new Set() };
          this.plan = null;
        },
        onPrev: () => {
          this.cursors = this.cursors.slice(0, -1);
          void this.#loadPage();
        },
        onNext: () => {
          if (!this.page?.nextCursor) return;
          this.cursors = [...this.cursors, this.page.nextCursor];
          void this.#loadPage();
        },
      })}
      ${
        canMove
          ? renderMove({
              t,
              locale: this.locale,
              targets: this.targets,
              targetId: this.targetId,
              preferOriginal: this.preferOriginal,
              count: pickedCount(this.picked, this.page),
              plan: this.confirming ? null : this.plan,
              job: this.job,
              working: this.working,
              hint: this.hint,
              onTarget: (id) => {
                this.targetId = id;
                this.plan = null;
              },
              onPreferOriginal: (on) => {
                this.preferOriginal = on;
                this.plan = null;
              },
              onPreview: () => void this.#preview(),
              onMove: () => void this.#startConfirm(),
              onStop: () => void this.#stop(),
            })
          : nothing
      }
      ${renderHistory({
        t,
        locale: this.locale,
        history: this.history,
        historyCursor: this.historyCursor,
        open: this.open,
        contactPointNames: new Map(this.targets.map((x) => [x.contactPointId, x.name])),
        onToggle: (id) => void this.#toggleItems(id),
        onMoreItems: (id) => void this.#toggleItems(id, true),
        onMoreHistory: () => void this.#loadHistory(true),
      })}
      <dialog part="dialog" class="confirm" aria-labelledby="confirm-title" @cancel=${() => this.#closeConfirm()}>
        ${
          this.confirming && this.plan
            ? html`<h3 id="confirm-title">${t.relocation.confirmTitle}</h3>
              <p class="confirm-text">${t.relocation.confirmText(toMove, target?.name ?? this.targetId)}</p>
              ${this.preferOriginal ? html`<p class="confirm-prefer">${t.relocation.confirmPreferOriginal(target?.name ?? this.targetId)}</p>` : nothing}
              ${renderPlan({ t, locale: this.locale }, this.plan)}
              <div class="row">
                <button part="button confirm-button" type="button" class="primary confirm-move" autofocus @click=${() => this.#confirm()}>
                  ${t.relocation.confirm}
                </button>
                <button part="button" type="button" class="cancel-move" @click=${() => this.#closeConfirm()}>${t.common.cancel}</button>
              </div>`
            : nothing
        }
      </dialog>
    </section>`;
  }
}
