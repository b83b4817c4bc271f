import { html, nothing, type TemplateResult } from "lit";
import type { LastFailure, SystemStatus } from "../shared/api-types.ts";
import { describeFailure } from "../shared/failure-reason.ts";
import { formatDateTime, formatNumber } from "../shared/format.ts";
import type { Messages } from "../shared/i18n/index.ts";
import type { DeactivationSummary } from "./deactivation-summary.ts";
import { renderEpisodeTimeline } from "./episode-timeline.ts";

/** The actions on a system card, named as the API paths they post to. */
export type SystemAction = "reactivate" | "test" | "retry-now";

/** What the system cards show and the callbacks they raise. */
export interface SystemViewModel {
  t: Messages;
  locale: string;
  /** Ids of systems with an action in flight. */
  busy: ReadonlySet<string>;
  /** The last action result per system. */
  results: ReadonlyMap<string, { ok: boolean; text: string }>;
  deactivations: ReadonlyMap<string, DeactivationSummary>;
  canReactivate: boolean;
  onAct(system: SystemStatus, action: SystemAction): void;
  onOpenEventLog(system: SystemStatus): void;
}

/** One system's card: state, facts, last failure, episode timeline, next step, actions and result. */
export function renderSystem(m: SystemViewModel, sys: SystemStatus, now: string): TemplateResult {
  const t = m.t;
  const loc = m.locale;
  const when = (iso: string | null) => (iso ? html`<time datetime=${iso}>${formatDateTime(iso, loc)}</time>` : t.common.never);
  const headingId = `sys-${sys.id}`;
  const deactivated = sys.state === "deactivated";
  const failing = !deactivated && (sys.episode !== null || sys.failingSince !== null);
  const klass = deactivated ? "deactivated" : failing ? "failing" : "";
  const result = m.results.get(sys.id);
  const summary = deactivated ? m.deactivations.get(sys.id) : undefined;
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
        ${summary ? fact(t.status.moved, movedText(t, summary), "moved") : nothing}
      </dl>
      ${deactivated && sys.deactivationReason === "automatic" ? html`<p class="day7" part="day7">${t.status.day7}</p>` : nothing}
      ${showFailure && sys.lastFailure ? renderLastFailure(m, sys.lastFailure, sys) : nothing}
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
      ${renderActions(m, sys)}
      ${result ? html`<p class="result ${result.ok ? "" : "error"}" part="result">${result.text}</p>` : nothing}
    </article>
  `;
}

/** The last failure in words, and the button that opens the event log on the system. */
function renderLastFailure(m: SystemViewModel, f: LastFailure, sys: SystemStatus): TemplateResult {
  return html`<p class="last-failure" part="last-failure">
      <strong>${m.t.status.lastFailure}</strong>
      <time datetime=${f.at}>${formatDateTime(f.at, m.locale)}</time>:
      <span class="reason">${describeFailure(f, m.t)}</span>
    </p>
    <button part="button event-log-button" type="button" class="open-event-log" @click=${() => m.onOpenEventLog(sys)}>
      ${m.t.eventLog.openFromStatus(sys.name)}
    </button>`;
}

/** What the deactivation did with the post, in words. */
function movedText(m: Messages, s: DeactivationSummary): string {
  const t = m.status;
  if (s.moved === 0) return t.movedNone;
  return s.destination.kind === "primary" ? t.movedToPrimary(s.moved, s.destination.systemName) : t.movedToVirk(s.moved);
}

/**
 * The actions the token allows: reactivate a deactivated system; on a push system, send a test delivery, and
 * retry now while it fails with post waiting. Each button's accessible name names its system.
 */
function renderActions(m: SystemViewModel, sys: SystemStatus): TemplateResult | typeof nothing {
  if (!m.canReactivate) return nothing;
  const t = m.t.status;
  const reactivate = sys.state === "deactivated";
  const test = sys.protocol === "REST_PUSH";
  const retry = test && !reactivate && sys.undelivered > 0 && (sys.episode !== null || sys.failingSince !== null);
  if (!reactivate && !test) return nothing;
  const busy = m.busy.has(sys.id);
  return html`<div class="actions" part="actions">
    ${
      reactivate
        ? html`<button
          part="button reactivate-button"
          class="primary"
          type="button"
          aria-disabled=${busy}
          aria-label=${t.reactivateFor(sys.name)}
          @click=${() => m.onAct(sys, "reactivate")}
        >
          ${t.reactivate}
        </button>`
        : nothing
    }
    ${
      retry
        ? html`<button
          part="button retry-button"
          class="primary"
          type="button"
          aria-disabled=${busy}
          aria-label=${t.retryFor(sys.name)}
          @click=${() => m.onAct(sys, "retry-now")}
        >
          ${t.retry}
        </button>`
        : nothing
    }
    ${
      test
        ? html`<button part="button test-button" type="button" aria-disabled=${busy} aria-label=${t.testFor(sys.name)} @click=${() => m.onAct(sys, "test")}>
          ${t.test}
        </button>`
        : nothing
    }
  </div>`;
}
