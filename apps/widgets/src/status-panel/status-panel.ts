import { html, nothing, type PropertyValues, type TemplateResult } from "lit";
import type { AuthorityStatus, Event, LastFailure, Page, SystemStatus, TestDeliveryResult } from "../shared/api-types.ts";
import { PostvejElement } from "../shared/base-element.ts";
import { describeFailure } from "../shared/failure-reason.ts";
import { formatDate, formatDateTime, formatNumber } from "../shared/format.ts";
import { themeStyles } from "../shared/theme.ts";
import { renderEpisodeTimeline } from "./episode-timeline.ts";
import { statusPanelStyles } from "./status-panel.styles.ts";

/** What a deactivation did with the system's post, read from its `system_deactivated` event. */
export interface DeactivationSummary {
  deactivatedAt: string;
  moved: number;
  destination: { kind: "primary"; systemName: string } | { kind: "virk" };
}

function summaryOf(event: Event | undefined, deactivatedAt: string): DeactivationSummary | null {
  if (!event) return null;
  const { moved, destination } = event.data as { moved?: unknown; destination?: { kind?: unknown; systemName?: unknown } };
  if (typeof moved !== "number") return null;
  const dest =
    destination?.kind === "primary" && typeof destination.systemName === "string"
      ? { kind: "primary" as const, systemName: destination.systemName }
      : { kind: "virk" as const };
  return { deactivatedAt, moved, destination: dest };
}

/**
 * `<postvej-status-panel>`: every recipient system of the authority with its state, its
 * current failure episode on a seven-day timeline, the next step, the Virk count, and the
 * reactivate / test-delivery actions the token allows. Refreshes itself every
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
      this.#announceChanges(this.status, next);
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
    const wanted = status.systems.filter((s) => s.state === "deactivated" && s.deactivatedAt && this.#asked.get(s.id) !== s.deactivatedAt);
    if (wanted.length === 0) return;
    for (const s of wanted) this.#asked.set(s.id, s.deactivatedAt ?? "");
    const found = await Promise.all(
      wanted.map(async (s) => {
        const query = `type=system_deactivated&recipientSystemId=${encodeURIComponent(s.id)}&limit=1`;
        try {
          const page = await this.api<Page<Event>>("GET", `${this.authorityPath}/events?${query}`);
          return [s.id, summaryOf(page.items[0], s.deactivatedAt ?? "")] as const;
        } catch {
          // Without the event the card still says when and why the system was deactivated; ask again next time.
          this.#asked.delete(s.id);
          return [s.id, null] as const;
        }
      }),
    );
    const next = new Map(this.deactivations);
    for (const [id, summary] of found) if (summary) next.set(id, summary);
    this.deactivations = next;
  }

  #announceChanges(before: AuthorityStatus | null, after: AuthorityStatus): void {
    if (!before) return;
    const said: string[] = [];
    for (const s of after.systems) {
      const old = before.systems.find((o) => o.id === s.id);
      if (old && old.state !== s.state) said.push(this.t.status.stateChanged(s.name, this.t.status.state[s.state]));
    }
    if (before.virkCount !== after.virkCount) said.push(this.t.status.virkChanged(after.virkCount));
    if (said.length) this.announce(said.join(" "));
  }

  async #act(system: SystemStatus, action: "reactivate" | "test"): Promise<void> {
    this.busy = new Set([...this.busy, system.id]);
    const path = `${this.authorityPath}/recipient-systems/${encodeURIComponent(system.id)}/${action}`;
    try {
      let text: string;
      let ok = true;
      if (action === "reactivate") {
        await this.api<unknown>("POST", path);
        text = this.t.status.reactivated(system.name);
        this.emit("postvej-system-reactivated", { system });
      } else {
        this.#setResult(system.id, { ok: true, text: this.t.status.testing });
        const result = await this.api<TestDeliveryResult>("POST", path);
        ok = result.outcome === "delivered";
        text = ok
          ? this.t.status.testDelivered(system.name, result.durationMs, String(result.statusCode ?? ""))
          : this.t.status.testFailed(system.name, describeFailure(result, this.t));
        this.emit("postvej-test-delivery", { systemId: system.id, result });
      }
      this.#setResult(system.id, { ok, text });
      await this.refresh();
      // The reactivate button is gone with the deactivation: focus the system's heading, not the page.
      if (action === "reactivate") {
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>(`[id="sys-${CSS.escape(system.id)}"]`)?.focus();
      }
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
    const t = this.t;
    const s = this.status;
    return html`
      <section part="base" class="panel" aria-labelledby="title">
        <header part="header">
          <div>
            <h2 id="title">${t.status.title}</h2>
            ${
              s
                ? html`<p>${t.status.authority(s.authority.name, s.authority.cvr)}</p>
                  <p class="muted">${t.status.today(formatDate(s.now, this.locale))}</p>`
                : nothing
            }
          </div>
          <button part="button refresh-button" type="button" @click=${() => this.refresh()} ?disabled=${!this.ready}>
            ${t.common.refresh}
          </button>
        </header>
        <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
        ${!this.token ? html`<p class="error" part="error">${t.common.notSignedIn}</p>` : nothing}
        ${this.failure ? html`<p class="error" part="error" role="alert">${this.failure}</p>` : nothing}
        ${s ? this.#renderStatus(s) : this.ready && !this.failure ? html`<p aria-busy="true">${t.common.loading}</p>` : nothing}
      </section>
    `;
  }

  #renderStatus(s: AuthorityStatus): TemplateResult {
    const t = this.t;
    return html`
      <p part="virk-count" class="virk">
        <span>${t.status.virkCount}:</span>
        <strong class="virk-count">${t.status.virkCountValue(s.virkCount)}</strong>
      </p>
      ${
        s.systems.length === 0
          ? html`<p>${t.status.noSystems}</p>`
          : html`<ul class="systems" part="systems">
            ${s.systems.map((sys) => html`<li>${this.#renderSystem(sys, s.now)}</li>`)}
          </ul>`
      }
    `;
  }

  #renderSystem(sys: SystemStatus, now: string): TemplateResult {
    const t = this.t;
    const loc = this.locale;
    const when = (iso: string | null) => (iso ? html`<time datetime=${iso}>${formatDateTime(iso, loc)}</time>` : t.common.never);
    const headingId = `sys-${sys.id}`;
    const deactivated = sys.state === "deactivated";
    const failing = !deactivated && (sys.episode !== null || sys.failingSince !== null);
    const klass = deactivated ? "deactivated" : failing ? "failing" : "";
    const busy = this.busy.has(sys.id);
    const result = this.results.get(sys.id);
    const summary = deactivated ? this.deactivations.get(sys.id) : undefined;
    // Post that is merely queued (no failure) reads as waiting; a pull system's post waits to be fetched.
    const waiting = !deactivated && !failing && sys.undelivered > 0;
    const undeliveredLabel = waiting ? (sys.protocol === "REST_PULL" ? t.status.waitingPull : t.status.waiting) : t.status.undelivered;
    // The last failure says why a failing system fails, or why an automatic deactivation happened.
    const showFailure = sys.lastFailure && (failing || (deactivated && sys.deactivationReason === "automatic"));
    const fact = (label: string, value: unknown, cls = "") => html`<div class=${cls}><dt>${label}</dt><dd>${value}</dd></div>`;
    return html`
      <article part="system" class="system ${klass}" aria-labelledby=${headingId} data-system-id=${sys.id}>
        <div class="system-header" part="system-header">
          <h3 id=${headingId} tabindex="-1">${sys.name}</h3>
          <span part="badge state" class="badge state ${sys.state === "active" ? "ok" : "bad"}">${t.status.state[sys.state]}</span>
          ${sys.primary ? html`<span part="badge primary" class="badge info primary">${t.status.primary}</span>` : nothing}
        </div>
        <dl class="facts">
          ${fact(t.status.protocol, t.status.protocols[sys.protocol])}
          ${fact(t.status.endpoint, sys.endpointHost ?? t.status.noEndpoint)}
          ${fact(t.status.lastDelivered, when(sys.lastDeliveredAt), "last-delivered")}
          ${fact(undeliveredLabel, formatNumber(sys.undelivered, loc), waiting ? "undelivered waiting" : "undelivered")}
          ${sys.oldestUndeliveredAt && !waiting ? fact(t.status.oldestUndelivered, when(sys.oldestUndeliveredAt)) : nothing}
          ${sys.failingSince ? fact(t.status.failingSince, when(sys.failingSince)) : nothing}
          ${
            deactivated && sys.deactivatedAt
              ? fact(
                  t.status.deactivatedAt,
                  t.status.deactivatedAtValue(
                    formatDateTime(sys.deactivatedAt, loc),
                    sys.deactivationReason ? t.status.deactivationReason[sys.deactivationReason] : "",
                  ),
                  "deactivated-at",
                )
              : nothing
          }
          ${summary ? fact(t.status.moved, this.#movedText(summary), "moved") : nothing}
        </dl>
        ${deactivated && sys.deactivationReason === "automatic" ? html`<p class="day7" part="day7">${t.status.day7}</p>` : nothing}
        ${showFailure && sys.lastFailure ? this.#renderLastFailure(sys.lastFailure, sys) : nothing}
        ${
          sys.episode
            ? html`<h4>${t.status.episode}</h4>
              ${renderEpisodeTimeline(sys.episode, now, sys.name, t, loc)}`
            : deactivated || failing
              ? nothing
              : html`<p class="muted healthy">
                ${
                  waiting
                    ? (sys.protocol === "REST_PULL" ? t.status.healthyWaitingPull : t.status.healthyWaiting)(sys.undelivered)
                    : t.status.healthy
                }
              </p>`
        }
        ${
          sys.nextStep
            ? html`<p class="next-step" part="next-step">
              ${t.status.nextStep}:
              ${t.status.nextStepValue(t.status.nextStepKind[sys.nextStep.kind], formatDateTime(sys.nextStep.at, loc))}
            </p>`
            : nothing
        }
        ${this.#renderActions(sys, busy)}
        ${result ? html`<p class="result ${result.ok ? "" : "error"}" part="result">${result.text}</p>` : nothing}
      </article>
    `;
  }

  #renderLastFailure(f: LastFailure, sys: SystemStatus): TemplateResult {
    return html`<p class="last-failure" part="last-failure">
        <strong>${this.t.status.lastFailure}</strong>
        <time datetime=${f.at}>${formatDateTime(f.at, this.locale)}</time>:
        <span class="reason">${describeFailure(f, this.t)}</span>
      </p>
      <button
        part="button event-log-button"
        type="button"
        class="open-event-log"
        @click=${() => this.emit("postvej-open-event-log", { authority: this.authority, recipientSystemId: sys.id })}
      >
        ${this.t.eventLog.openFromStatus(sys.name)}
      </button>`;
  }

  #movedText(s: DeactivationSummary): string {
    const t = this.t.status;
    if (s.moved === 0) return t.movedNone;
    return s.destination.kind === "primary" ? t.movedToPrimary(s.moved, s.destination.systemName) : t.movedToVirk(s.moved);
  }

  #renderActions(sys: SystemStatus, busy: boolean): TemplateResult | typeof nothing {
    if (!this.can("reactivate")) return nothing;
    const reactivate = sys.state === "deactivated";
    const test = sys.protocol === "REST_PUSH";
    if (!reactivate && !test) return nothing;
    return html`<div class="actions" part="actions">
      ${
        reactivate
          ? html`<button
            part="button reactivate-button"
            class="primary"
            type="button"
            ?disabled=${busy}
            aria-describedby=${`sys-${sys.id}`}
            @click=${() => this.#act(sys, "reactivate")}
          >
            ${this.t.status.reactivate}
          </button>`
          : nothing
      }
      ${
        test
          ? html`<button
            part="button test-button"
            type="button"
            ?disabled=${busy}
            aria-describedby=${`sys-${sys.id}`}
            @click=${() => this.#act(sys, "test")}
          >
            ${this.t.status.test}
          </button>`
          : nothing
      }
    </div>`;
  }
}
