import { css } from "lit";

/** Layout of the status panel. */
export const statusPanelStyles = css`
  .panel {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_gap);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: var(--_gap);
    align-items: flex-start;
  }
  .virk {
    display: flex;
    gap: 0.5em;
    align-items: baseline;
    padding: 0.5em 0.75em;
    border-radius: var(--_radius);
    background: var(--_surface);
    margin: 0;
  }
  .virk strong {
    font-size: 1.25em;
  }
  .systems {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_gap);
  }
  .system {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_gap);
    background: var(--_bg);
  }
  .system.deactivated {
    border-left: 6px solid var(--_danger);
  }
  .system.failing {
    border-left: 6px solid var(--_warning);
  }
  .system-header {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: center;
  }
  .system-header h3 {
    margin: 0;
  }
  dl.facts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(11rem, 100%), 1fr));
    gap: 0.35em var(--_gap);
    margin: 0.6em 0;
  }
  dl.facts div {
    min-width: 0;
  }
  dl.facts div.moved {
    grid-column: span 2;
  }
  dt {
    font-size: 0.85em;
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .timeline {
    margin: 0.75em 0;
  }
  .track {
    position: relative;
    height: 0.9rem;
    margin: 0.5rem 0.5rem 0;
    border-radius: 999px;
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  .elapsed {
    position: absolute;
    inset: 0 auto 0 0;
    border-radius: 999px;
    background: var(--_warning);
  }
  .tick {
    position: absolute;
    top: -0.3rem;
    width: 3px;
    height: 1.4rem;
    margin-left: -1px;
    background: var(--_text);
  }
  .tick.day7 {
    background: var(--_danger);
  }
  .today {
    position: absolute;
    top: -0.45rem;
    width: 0.9rem;
    height: 0.9rem;
    margin-left: -0.45rem;
    transform: rotate(45deg);
    background: var(--_accent);
    border: 2px solid var(--_bg);
  }
  .scale {
    position: relative;
    height: 1.3em;
    margin: 0.2rem 0.5rem 0;
    font-size: 0.75em;
    color: var(--_muted);
  }
  .scale span {
    position: absolute;
    transform: translateX(-50%);
    white-space: nowrap;
  }
  .marks {
    margin: 0.3em 0;
    padding-left: 1.3em;
    font-size: 0.9em;
  }
  .last-failure {
    margin: 0.4em 0;
  }
  .last-failure .reason {
    font-weight: 600;
  }
  .open-event-log {
    margin: 0 0 0.6em;
  }
  .day7 {
    font-weight: 600;
  }
  .next-step {
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    margin-top: 0.5em;
  }
  .result {
    margin: 0.4em 0 0;
  }
`;
