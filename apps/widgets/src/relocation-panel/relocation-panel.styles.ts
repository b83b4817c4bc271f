import { css } from "lit";

/** Layout of the relocation panel. */
export const relocationPanelStyles = css`
  .panel {
    display: grid;
    /* minmax(0, …) and the min()s below: on a 390 px phone nothing may push the page sideways. */
    grid-template-columns: minmax(0, 1fr);
    gap: calc(var(--_gap) * 1.5);
  }
  section > h3 {
    border-bottom: 1px solid var(--_border);
    padding-bottom: 0.2em;
  }
  /* Fields share a line while they fit; the two buttons stay together, their bottom edge on the fields' bottom edge. */
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: flex-end;
    padding: var(--_gap);
    background: var(--_surface);
    border-radius: var(--_radius);
  }
  .filters .field {
    flex: 1 1 10rem;
    min-width: 0;
    display: grid;
    gap: 0.2em;
    font-size: 0.9em;
  }
  .filters input,
  .filters select {
    min-width: 0;
    width: 100%;
    box-sizing: border-box;
  }
  .filters .filter-buttons {
    flex: 0 0 auto;
    margin: 0;
  }
  .selection-bar {
    margin: 0.5em 0;
  }
  .select-col {
    width: 2.5em;
  }
  .pager {
    margin-top: 0.5em;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_gap);
    margin: 0 0 var(--_gap);
  }
  legend {
    font-weight: 600;
    padding: 0 0.3em;
  }
  .target-list {
    display: grid;
    gap: 0.3em;
    margin: 0.4em 0;
  }
  .target,
  .switch {
    display: flex;
    gap: 0.5em;
    align-items: center;
  }
  .switch {
    margin-top: 0.6em;
  }
  .not-offered {
    margin: 0.4em 0;
  }
  .plan,
  .progress {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_gap);
    margin-top: var(--_gap);
  }
  progress {
    width: 100%;
    height: 1em;
    accent-color: var(--_accent);
  }
  .history-list {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: var(--_gap);
  }
  .history-entry {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_gap);
  }
  dl.facts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(11rem, 100%), 1fr));
    gap: 0.35em var(--_gap);
    margin: 0 0 0.5em;
  }
  dt {
    font-size: 0.85em;
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .items {
    margin-top: 0.5em;
  }
  dialog {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    color: var(--_text);
    background: var(--_bg);
    max-width: min(36rem, 95vw);
    padding: calc(var(--_gap) * 1.5);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }
`;
