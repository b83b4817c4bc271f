import type { PropertyValues, TemplateResult } from "lit";
import type { AuthorityStatus, Event, Page, RetryNow, SystemStatus, TestDeliveryResult } from "../shared/api-types.ts";
import { PostvejElement } from "../shared/base-element.ts";
import { describeFailure } from "../shared/failure-reason.ts";
import { themeStyles } from "../shared/theme.ts";
import { loadSummaries, type DeactivationSummary } from "./deactivation-summary.ts";
import { statusChangesText } from "./status-changes.ts";
import { statusPanelStyles } from "./status-panel.styles.ts";
import { renderStatusPanel } from "./status-view.ts";
import type { SystemAction } from "./system-view.ts";

/**
 * `<postvej-status-panel>`: every recipient system of the authority with its state, its
 * current failure episode on a seven-day timeline, the next step, the Virk count, and the
 * reactivate / retry-now / test-delivery actions the token allows. Refreshes itself every
 * `refresh-interval` seconds.
 */
export class PostvejStatusPanel extends PostvejElement {
  static override properties = {
    ...PostvejElement.properties,
    refreshInterval: { attribute: "refresh-interval", type: Number },
    status: { state: true },
    busy: { state: true },
    results: { state: true },
    deactivations: { state: true },
  };

  static override styles = [themeStyles, statusPanelStyles];

  declare refreshInterval: number;
  declare status: AuthorityStatus | null;
  /** Ids of systems with an action in flight. */
  declare busy: ReadonlySet<string>;
  /** The last action result per system, shown under its buttons. */
  declare results: ReadonlyMap<string, { ok: boolean; text: string }>;
  /** Per deactivated system: what its deactivation did with its post. */
  declare deactivations: ReadonlyMap<string, DeactivationSummary>;

  #timer: ReturnType<typeof setInterval> | undefined;
  /** The deactivation (system id → deactivatedAt) whose event was already asked for. */
  #asked = new Map<string, string>();
  #loading: Promise<void> | null = null;

  constructor() {
    super();
    this.refreshInterval = 30;
    this.status = null;
    this.busy = new Set();
    this.results = new Map();
    this.deactivations = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#restartTimer();
    document.addEventListener("postvej-relocation-finished", this.#onRelocated);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
    document.removeEventListener("postvej-relocation-finished", this.#onRelocated);
  }

  /** A relocation panel on the page finished a move: the target systems' cards change, so look again. */
  #onRelocated = (): void => {
    if (this.ready) void this.refresh();
  };

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has("refreshInterval")) this.#restartTimer();
  }

  #restartTimer(): void {
    clearInterval(this.#timer);
    if (this.refreshInterval > 0 && this.isConnected) {
      this.#timer = setInterval(() => {
        if (this.ready) void this.refresh();
      }, this.refreshInterval * 1000);
    }
  }

  protected override load(): Promise<void> {
    return this.refresh();
  }

  /** Fetches the status now (the host may call this after it changed something). */
  refresh(): Promise<void> {
    this.#loading ??= this.#fetch().finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  async #fetch(): Promise<void> {
    try {
      const next = await this.api<AuthorityStatus>("GET", `${this.authorityPath}/status`);
      const changes = statusChangesText(this.status, next, this.t);
      if (changes) this.announce(changes);
      this.status = next;
      this.failure = "";
      this.emit("postvej-status-updated", { status: next });
    } catch (error) {
      this.reportError(error);
      return;
    }
    await this.#loadDeactivations(this.status);
  }

  /** Reads, once per deactivation, how many messages it moved and where (the `system_deactivated` event). */
  async #loadDeactivations(status: AuthorityStatus): Promise<void> {
    const found = await loadSummaries(status, this.#asked, (q) => this.api<Page<Event>>("GET", `${this.authorityPath}/events?${q}`));
    if (found.length === 0) return;
    const next = new Map(this.deactivations);
    for (const [id, summary] of found) if (summary) next.set(id, summary);
    this.deactivations = next;
  }

  async #act(system: SystemStatus, action: SystemAction): Promise<void> {
    // In flight the button is aria-disabled, not disabled: it keeps a keyboard user's focus.
    if (this.busy.has(system.id)) return;
    this.busy = new Set([...this.busy, system.id]);
    const path = `${this.authorityPath}/recipient-systems/${encodeURIComponent(system.id)}/${action}`;
    const t = this.t.status;
    const pressed = (this.renderRoot as ShadowRoot).activeElement;
    try {
      let text: string;
      let ok = true;
      if (action === "test") this.#setResult(system.id, { ok: true, text: t.testing });
      const answer = await this.api<unknown>("POST", path);
      if (action === "reactivate") {
        text = t.reactivated(system.name);
        this.emit("postvej-system-reactivated", { system });
      } else if (action === "retry-now") {
        const result = answer as RetryNow;
        text = t.retried(system.name, result.madeDue, result.more);
        this.emit("postvej-retry-now", { systemId: system.id, result });
      } else {
        const result = answer as TestDeliveryResult;
        ok = result.outcome === "delivered";
        text = ok
          ? t.testDelivered(system.name, result.durationMs, String(result.statusCode ?? ""))
          : t.testFailed(system.name, describeFailure(result, this.t));
        this.emit("postvej-test-delivery", { systemId: system.id, result });
      }
      this.#setResult(system.id, { ok, text });
      await this.refresh();
      // A pressed button gone with what it fixed (reactivate, retry now): focus the system's heading, not the page.
      await this.updateComplete;
      if (pressed && !pressed.isConnected) this.renderRoot.querySelector<HTMLElement>(`[id="sys-${CSS.escape(system.id)}"]`)?.focus();
      // After the refresh, so the action's own result is what is read out last.
      this.announce(text);
    } catch (error) {
      this.reportError(error);
      this.#setResult(system.id, { ok: false, text: this.failure });
      this.announce(this.failure);
    } finally {
      const next = new Set(this.busy);
      next.delete(system.id);
      this.busy = next;
    }
  }

  #setResult(id: string, result: { ok: boolean; text: string }): void {
    const next = new Map(this.results);
    next.set(id, result);
    this.results = next;
  }

  override render(): TemplateResult {
    return renderStatusPanel({
      t: this.t,
      locale: this.locale,
      status: this.status,
      ready: this.ready,
      failure: this.failure,
      notices: this.notices(),
      busy: this.busy,
      results: this.results,
      deactivations: this.deactivations,
      canReactivate: this.can("reactivate"),
      onRefresh: () => void this.refresh(),
      onAct: (sys, action) => void this.#act(sys, action),
      onOpenEventLog: (sys) => this.emit("postvej-open-event-log", { authority: this.authority, recipientSystemId: sys.id }),
    });
  }
}
