import { html, nothing, type TemplateResult } from "lit";
import type { Episode } from "../shared/api-types.ts";
import { formatDateTime, formatNumber, formatShortDate } from "../shared/format.ts";
import type { Messages } from "../shared/i18n/index.ts";

const DAY_MS = 86_400_000;

/** How many days of the seven-day episode have passed at `now` (0–7, fractional). */
export function episodeDay(episode: Episode, now: string): number {
  const elapsed = (Date.parse(now) - Date.parse(episode.startedAt)) / DAY_MS;
  return Math.min(Math.max(elapsed, 0), 7);
}

/**
 * The seven-day failure episode: a bar with day 2, day 5 and day 7 marked and today's position
 * (drawn for sighted users, hidden from assistive technology), and the same facts as a list.
 */
export function renderEpisodeTimeline(
  episode: Episode,
  now: string,
  systemName: string,
  t: Messages,
  locale: string,
): TemplateResult {
  const day = episodeDay(episode, now);
  const pct = (d: number) => `${((d / 7) * 100).toFixed(2)}%`;
  const dayText = formatNumber(Math.round(day * 10) / 10, locale);
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
        ${[0, 1, 2, 3, 4, 5, 6, 7].map(
          (d) => html`<span style="left: ${pct(d)}">${d === 0 ? "" : t.status.day(d)}</span>`,
        )}
      </div>
      <figcaption>
        <p class="today-text">${t.status.todayPosition(dayText)}</p>
        <ol class="marks">
          ${marks.map(
            (m) => html`<li class=${m.key}>
              <span class="mark-label">${m.label}</span>:
              <time datetime=${m.at}>${formatShortDate(m.at, locale)} (${formatDateTime(m.at, locale)})</time>
              ${m.sent ? html`— ${t.status.warnedAt(formatDateTime(m.sent, locale))}` : nothing}
            </li>`,
          )}
        </ol>
      </figcaption>
    </figure>
  `;
}
