import type { TemplateResult } from "lit";
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
import type { ItemsState } from "./history-view.ts";
import { pickedCount } from "./mailbox-view.ts";
import { moveRequest } from "./move-request.ts";
import { renderRelocationPanel, type RelocationActions } from "./panel-view.ts";
import { relocationPanelStyles } from "./relocation-panel.styles.ts";
import { emptyFilters, mailboxQuery, withIds, type Filters, type Picked } from "./selection.ts";

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
  /** The latest mailbox page load: only it lands, and the pager does nothing while one is in flight. */
  #pageLoad = 0;
  #paging = false;

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
    // Each action starts with the last one's error gone: an error shown is the latest action's.
    this.failure = "";
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

  /** Loads the page at the end of `cursors`; the page and its position land in one render, so its range and the pager agree. */
  async #loadPage(cursors = this.cursors): Promise<void> {
    this.failure = "";
    const load = ++this.#pageLoad;
    this.#paging = true;
    try {
      const q = mailboxQuery(this.applied, this.pageSize, cursors[cursors.length - 1] ?? null);
      const page = await this.api<VirkPage>("GET", `${this.authorityPath}/virk/messages?${q}`);
      if (load !== this.#pageLoad) return;
      this.page = page;
      this.cursors = cursors;
    } catch (error) {
      if (load === this.#pageLoad) this.reportError(error);
    } finally {
      if (load === this.#pageLoad) this.#paging = false;
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
    this.picked = { kind: "some", ids: new Set() };
    this.plan = null;
    void this.#loadPage([null]);
  }

  #pick(ids: readonly string[], on: boolean): void {
    if (this.picked.kind === "all") return;
    this.picked = withIds(this.picked, ids, on);
    this.plan = null;
  }

  #request(dryRun: boolean): RelocationRequest | null {
    const form = { picked: this.picked, pickedCount: pickedCount(this.picked, this.page), applied: this.applied, targetId: this.targetId };
    const out = moveRequest({ ...form, preferOriginal: this.preferOriginal }, dryRun, this.t);
    this.hint = "hint" in out ? out.hint : "";
    return "body" in out ? out.body : null;
  }

  async #preview(): Promise<DryRunPlan | null> {
    if (this.working) return null;
    const body = this.#request(true);
    if (!body) return null;
    this.working = true;
    this.failure = "";
    try {
      this.plan = await this.api<DryRunPlan>("POST", `${this.authorityPath}/relocations`, body);
      this.announce(this.t.relocation.previewTotal(this.plan.total));
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
    this.failure = "";
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
    this.failure = "";
    try {
      const next = await this.api<Relocation>("POST", `${this.authorityPath}/relocations/${encodeURIComponent(this.job.id)}/stop`);
      this.job = next;
      await this.#follow(next);
    } catch (error) {
      this.reportError(error);
    }
  }

  #actions: RelocationActions = {
    onDraft: (patch) => (this.draft = { ...this.draft, ...patch }),
    onApply: () => this.#applyFilters(this.draft),
    onReset: () => this.#applyFilters(emptyFilters),
    onToggle: (id, on) => this.#pick([id], on),
    onTogglePage: (on) => this.#pick(this.page?.items.map((x) => x.messageUUID) ?? [], on),
    onSelectAll: () => {
      this.picked = { kind: "all" };
      this.plan = null;
    },
    onClearSelection: () => {
      this.picked = { kind: "some", ids: new Set() };
      this.plan = null;
    },
    onPrev: () => {
      if (!this.#paging && this.cursors.length > 1) void this.#loadPage(this.cursors.slice(0, -1));
    },
    onNext: () => {
      if (!this.#paging && this.page?.nextCursor) void this.#loadPage([...this.cursors, this.page.nextCursor]);
    },
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
    onToggleItems: (id) => void this.#toggleItems(id),
    onMoreItems: (id) => void this.#toggleItems(id, true),
    onMoreHistory: () => void this.#loadHistory(true),
    onConfirm: () => void this.#confirm(),
    onCancelConfirm: () => this.#closeConfirm(),
  };

  override render(): TemplateResult {
    return renderRelocationPanel({
      ...this.#actions,
      t: this.t,
      locale: this.locale,
      canMove: this.can("relocate"),
      notices: this.notices(),
      draft: this.draft,
      applied: this.applied,
      page: this.page,
      pageIndex: this.cursors.length - 1,
      pageSize: this.pageSize,
      picked: this.picked,
      targets: this.targets,
      targetId: this.targetId,
      preferOriginal: this.preferOriginal,
      plan: this.plan,
      confirming: this.confirming,
      job: this.job,
      working: this.working,
      hint: this.hint,
      history: this.history,
      historyCursor: this.historyCursor,
      open: this.open,
    });
  }
}
