import type { TemplateResult } from "lit";
import type { DryRunPlan, Relocation, RelocationRequest, RelocationStarted } from "../shared/api-types.ts";
import { themeStyles } from "../shared/theme.ts";
import { tableStyles } from "../shared/table-styles.ts";
import { pickedCount } from "./mailbox-view.ts";
import { moveRequest } from "./move-request.ts";
import { renderRelocationPanel, type RelocationActions } from "./panel-view.ts";
import { relocationPanelStyles } from "./relocation-panel.styles.ts";
import { RelocationPanelState } from "./panel-state.ts";
import { emptyFilters } from "./selection.ts";

/**
 * `<postvej-relocation-panel>`: the Virk mailbox one page at a time, with filters; pick some
 * messages, a page, or everything matching; choose a valid target; preview; confirm; follow the
 * job (and stop it); and read the move history with each move's messages.
 */
export class PostvejRelocationPanel extends RelocationPanelState {
  static override styles = [themeStyles, tableStyles, relocationPanelStyles];

  #poll: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#poll);
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
    onApply: () => this.applyFilters(this.draft),
    onReset: () => this.applyFilters(emptyFilters),
    onToggle: (id, on) => this.pick([id], on),
    onTogglePage: (on) => this.pick(this.page?.items.map((x) => x.messageUUID) ?? [], on),
    onSelectAll: () => {
      this.picked = { kind: "all" };
      this.plan = null;
    },
    onClearSelection: () => {
      this.picked = { kind: "some", ids: new Set() };
      this.plan = null;
    },
    onPrev: () => this.turnPage(-1),
    onNext: () => this.turnPage(1),
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
    onToggleItems: (id) => void this.toggleItems(id),
    onMoreItems: (id) => void this.toggleItems(id, true),
    onMoreHistory: () => void this.loadHistory(true),
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
