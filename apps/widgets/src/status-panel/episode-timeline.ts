import { html, type TemplateResult } from "lit";
import type { Episode } from "../shared/api-types.ts";
import { formatDateTime } from "../shared/format.ts";
import type { Messages } from "../shared/i18n/index.ts";

const DAY_MS = 86_400_000;

/** How many days of the seven-day episode have passed at `now` (0–7, fractional). */
export function episodeDay(episode: Episode, now: string): number {
  const elapsed = (Date.parse(now) - Date.parse(episode.startedAt)) / DAY_MS;
  return Math.min(Math.max(elapsed, 0), 7);
}

/** How long the episode has lasted, as a person says it: "3 døgn og 2 timer", "under en time". */
export function elapsedText(episode: Episode, now: string, t: Messages): string {
  const hours = Math.floor(Math.min(Math.max(Date.parse(now) - Date.parse(episode.startedAt), 0), 7 * DAY_MS) / 3_600_000);
  const d = t.status.duration;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  if (days === 0) return rest === 0 ? d.underAnHour : d.hours(rest);
  return rest === 0 ? d.days(days) : d.both(d.days(days), d.hours(rest));
}

/**
 * The seven-day failure episode: a bar with day 2, day 5 and day 7 marked and today's position
 * (drawn for sighted users, hidden from assistive technology), and the same facts as a list.
 */
export function renderEpisodeTimeline(episode: Episode, now: string, systemName: string, t: Messages, locale: string): TemplateResult {
  const day = episodeDay(episode, now);
  const pct = (d: number) => `${((d / 7) * 100).toFixed(2)}%`;
  const marks: { key: string; day: number; label: string; at: string; sent: string | null }[] = [
    { key: "start", day: 0, label: t.status.dayMarks.start, at: episode.startedAt, sent: null },
    { key: "day2", day: 2, label: t.status.dayMarks.day2, at: episode.day2At, sent: episode.warnedDay2At },
    { key: "day5", day: 5, label: t.status.dayMarks.day5, at: episode.day5At, sent: episode.warnedDay5At },
    { key: "day7", day: 7, label: t.status.dayMarks.day7, at: episode.day7At, sent: null },
  ];
  return html`
    <figure part="timeline" class="timeline" aria-label=${t.status.timelineLabel(systemName)}>
      <div class="track" aria-hidden="true">
        <div class="elapsed" style="width: ${pct(day)}"></div>
        ${marks.map(
          (m) => html`<span
            class="tick ${m.key} ${Date.parse(now) >= Date.parse(m.at) ? "passed" : ""}"
            style="left: ${pct(m.day)}"
          ></span>`,
        )}
        <span class="today" style="left: ${pct(day)}" title=${t.status.todayMark}></span>
      </div>
      <div class="scale" aria-hidden="true">
        ${[0, 1, 2, 3, 4, 5, 6, 7].map((d) => html`<span style="left: ${pct(d)}">${d === 0 ? "" : t.status.day(d)}</span>`)}
      </div>
      <figcaption>
        <p class="today-text">${t.status.elapsed(elapsedText(episode, now, t))}</p>
        <ol class="marks">
          ${marks.map(
            (m) => html`<li class=${m.key}>
              <span class="mark-label">${m.label}</span>:
              ${
                m.sent
                  ? html`<time datetime=${m.sent}>${t.status.warnedAt(formatDateTime(m.sent, locale))}</time>`
                  : html`<time datetime=${m.at}>${formatDateTime(m.at, locale)}</time>`
              }
            </li>`,
          )}
        </ol>
      </figcaption>
    </figure>
  `;
}
