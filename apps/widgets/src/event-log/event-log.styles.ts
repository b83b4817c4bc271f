import { css } from "lit";

/** Layout of the event log panel: the finder, the filtered list and a message's vertical timeline. */
export const eventLogStyles = css`
  .panel {
    display: grid;
    /* minmax(0, …): a wide table scrolls inside its own wrapper instead of widening the page. */
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--_gap) * 1.5);
  }
  section > h3,
  .find h3,
  .trace-header h3 {
    border-bottom: 1px solid var(--_border);
    padding-bottom: 0.2em;
  }
  .trace-header {
    justify-content: space-between;
  }
  .find,
  .filters {
    padding: var(--_gap);
    background: var(--_surface);
    border-radius: var(--_radius);
  }
  .filters {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
    gap: var(--_gap);
    align-items: end;
    margin-bottom: var(--_gap);
  }
  .field {
    display: grid;
    gap: 0.2em;
  }
  .filters .field {
    font-size: 0.9em;
  }
  .filters select,
  .filters input {
    width: 100%;
    min-width: 0;
  }
  .find-input {
    flex: 1 1 20rem;
    min-width: 0;
  }
  .found {
    list-style: none;
    padding: 0;
    margin: 0.3em 0 0;
    display: grid;
    gap: 0.3em;
  }
  .uuid {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.88em;
    overflow-wrap: anywhere;
  }
  button.link {
    border: 0;
    background: none;
    padding: 0.1em 0.2em;
    min-height: 0;
    text-decoration: underline;
    text-align: left;
  }
  td:first-child,
  td.kind {
    white-space: nowrap;
  }
  td.kind {
    font-weight: 600;
  }
  .pager {
    margin-top: 0.5em;
  }
  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
    gap: 0.3em var(--_gap);
    margin: 0 0 var(--_gap);
  }
  .facts dt {
    font-size: 0.85em;
    color: var(--_muted);
  }
  .facts dd {
    margin: 0;
  }
  .timeline {
    list-style: none;
    margin: 0 0 0 0.6em;
    padding: 0 0 0 1.5em;
    border-left: 3px solid var(--_border);
  }
  .step {
    position: relative;
    padding: 0 0 var(--_gap) 0.5em;
  }
  .step::before {
    content: "";
    position: absolute;
    left: calc(-1.5em - 9px);
    top: 0.3em;
    width: 15px;
    height: 15px;
    border-radius: 50%;
    border: 3px solid var(--_accent);
    background: var(--_bg);
  }
  .step.good::before {
    border-color: var(--_success);
    background: var(--_success);
  }
  .step.bad::before {
    border-color: var(--_danger);
  }
  .step.system-step {
    color: var(--_warning);
  }
  .folded {
    padding: 0 0 var(--_gap);
  }
  .folded summary {
    margin-left: 0.5em;
    cursor: pointer;
    color: var(--_accent);
    text-decoration: underline;
  }
  .folded-steps {
    list-style: none;
    margin: var(--_gap) 0 0;
    padding: 0;
  }
  .step .when {
    font-size: 0.85em;
    color: var(--_muted);
    margin: 0;
  }
  .step .what {
    margin: 0;
  }
`;
