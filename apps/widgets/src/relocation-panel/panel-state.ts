import type { DryRunPlan, Page, Relocation, RelocationItem, RelocationStarted, RelocationTarget, VirkPage } from "../shared/api-types.ts";
import { PostvejElement } from "../shared/base-element.ts";
import type { ItemsState } from "./history-view.ts";
import { emptyFilters, mailboxQuery, withIds, type Filters, type Picked } from "./selection.ts";

/**
 * The relocation panel's state and its loading: the mailbox page (filters, cursors, selection, the pager), the
 * targets, the move history and the messages of the moves opened in it. `PostvejRelocationPanel` adds the move
 * job (dry run, confirm, progress, stop), the actions and the view.
 */
export class RelocationPanelState extends PostvejElement {
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

  protected override async load(): Promise<void> {
    // Each action starts with the last one's error gone: an error shown is the latest action's.
    this.failure = "";
    await Promise.all([this.loadTargets(), this.loadPage(), this.loadHistory()]);
  }

  /** Reloads the mailbox page, the targets and the history (the host may call this). */
  refresh(): Promise<void> {
    return this.load();
  }

  protected async loadTargets(): Promise<void> {
    try {
      const res = await this.api<Page<RelocationTarget>>("GET", `${this.authorityPath}/relocation-targets`);
      this.targets = res.items;
      if (!res.items.some((x) => x.eligible && x.contactPointId === this.targetId)) this.targetId = "";
    } catch (error) {
      this.reportError(error);
    }
  }

  /** Loads the page at the end of `cursors`; the page and its position land in one render, so its range and the pager agree. */
  protected async loadPage(cursors = this.cursors): Promise<void> {
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

  protected async loadHistory(more = false): Promise<void> {
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

  protected async toggleItems(id: string, more = false): Promise<void> {
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

  protected applyFilters(filters: Filters): void {
    this.draft = filters;
    this.applied = filters;
    this.picked = { kind: "some", ids: new Set() };
    this.plan = null;
    void this.loadPage([null]);
  }

  protected pick(ids: readonly string[], on: boolean): void {
    if (this.picked.kind === "all") return;
    this.picked = withIds(this.picked, ids, on);
    this.plan = null;
  }

  /** The pager's Previous and Next (`step` -1 or 1); nothing at either end, or while a page is on its way. */
  protected turnPage(step: -1 | 1): void {
    if (this.#paging) return;
    if (step < 0 && this.cursors.length > 1) void this.loadPage(this.cursors.slice(0, -1));
    if (step > 0 && this.page?.nextCursor) void this.loadPage([...this.cursors, this.page.nextCursor]);
  }
}
