import { html, nothing, type TemplateResult } from "lit";
import { formatDateTime } from "../shared/format.ts";
import { describeEvent, kindName, type EventContext } from "./event-text.ts";
import type { Trace } from "./load-trace.ts";

/** Kinds drawn as a success or a problem on the timeline. */
const GOOD = new Set(["delivered", "relocated", "system_reactivated"]);
const BAD = new Set(["attempt_failed", "receipt_rejected", "system_warned", "system_deactivated", "rerouted", "landed_in_virk"]);

type Step = Trace["steps"][number];

/** The steps with each run of three or more failed attempts folded to its first, the ones between, and its last. */
function foldAttempts(steps: readonly Step[]): (Step | Step[])[] {
  const out: (Step | Step[])[] = [];
  for (let i = 0; i < steps.length;) {
    let j = i;
    while (steps[j]?.type === "attempt_failed" && !steps[j]?.systemStep) j++;
    if (j - i >= 3) {
      out.push(steps[i] as Step, steps.slice(i + 1, j - 1), steps[j - 1] as Step);
      i = j;
    } else out.push(steps[i++] as Step);
  }
  return out;
}

/** One message: its facts and its trace as a vertical timeline, with the way back to the list. */
export function renderTrace(trace: Trace, ctx: EventContext, onBack: () => void): TemplateResult {
  const t = ctx.t.eventLog;
  const m = trace.message;
  const when = (iso: string) => html`<time datetime=${iso}>${formatDateTime(iso, ctx.locale)}</time>`;
  const custodian = m.custodian.kind === "virk" ? t.virk : ctx.systemName(m.custodian.recipientSystemId);
  const fact = (label: string, value: unknown) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  const step = (e: Step) =>
    html`<li
      part="step"
      class="step ${e.type} ${GOOD.has(e.type) ? "good" : BAD.has(e.type) ? "bad" : ""} ${e.systemStep ? "system-step" : ""}"
    >
      <p class="when">${when(e.at)}</p>
      <p class="what"><strong>${kindName(e.type, ctx.t)}</strong></p>
      <p class="text">${describeEvent(e, ctx)}</p>
    </li>`;
  return html`
    <section class="trace" part="trace" aria-labelledby="trace-title">
      <div class="row trace-header">
        <h3 id="trace-title" tabindex="-1">${t.traceOf(m.label ?? t.noLabel)}</h3>
        <button part="button back-button" type="button" class="back" @click=${onBack}>${t.back}</button>
      </div>
      <dl class="facts">
        ${fact(t.facts.uuid, html`<span class="uuid">${m.messageUUID}</span>`)}
        ${fact(t.facts.state, html`<span class="state">${t.states[m.state]}</span>`)}
        ${fact(t.facts.custodian, custodian)} ${fact(t.facts.received, when(m.receivedAt))}
        ${m.deliveredAt ? fact(t.facts.delivered, when(m.deliveredAt)) : nothing} ${fact(t.facts.sender, senderName(m.senderLabel, m.senderId))}
        ${fact(t.facts.size, t.size(m.sizeBytes))}
      </dl>
      <h4 id="steps-title">${t.trace}</h4>
      <ol class="timeline" part="timeline" aria-labelledby="steps-title">
        ${foldAttempts(trace.steps).map((e) =>
          Array.isArray(e)
            ? html`<li class="folded">
                <details>
                  <summary>${t.moreAttempts(e.length)}</summary>
                  <ol class="folded-steps">${e.map(step)}</ol>
                </details>
              </li>`
            : step(e),
        )}
      </ol>
    </section>
  `;
}

/** The sender as the mailbox shows it: "postvej (12345674)", or the CVR alone when the MeMo names no label. */
function senderName(label: string | null | undefined, id: string | null): string {
  if (!label) return id ?? "?";
  return id ? `${label} (${id})` : label;
}
