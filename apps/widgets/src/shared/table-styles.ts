import { css } from "lit";

/** The data tables the relocation panel and the event log share: ruled rows, scrolling sideways inside their wrapper. */
export const tableStyles = css`
  .table-wrap {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.92em;
  }
  th,
  td {
    text-align: left;
    padding: 0.35em 0.5em;
    border-bottom: 1px solid var(--_border);
    vertical-align: top;
  }
  th {
    background: var(--_surface);
  }
`;
