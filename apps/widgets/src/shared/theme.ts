import { css } from "lit";

/**
 * The default theme. Public custom properties (`--postvej-*`) are copied into private `--_*`
 * locals so a host can override any of them and the panels still work with none set.
 */
export const themeStyles = css`
  :host {
    --_font: var(--postvej-font-family, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
    --_size: var(--postvej-font-size, 1rem);
    --_text: var(--postvej-color-text, #1b1b1b);
    --_muted: var(--postvej-color-muted, #575757);
    --_bg: var(--postvej-color-background, #fff);
    --_surface: var(--postvej-color-surface, #f4f5f7);
    --_border: var(--postvej-color-border, #8a8f98);
    --_accent: var(--postvej-color-accent, #0b57c5);
    --_on-accent: var(--postvej-color-on-accent, #fff);
    --_danger: var(--postvej-color-danger, #a4262c);
    --_warning: var(--postvej-color-warning, #7a4a00);
    --_success: var(--postvej-color-success, #12693b);
    --_focus: var(--postvej-focus-ring, 3px solid #c75000);
    --_radius: var(--postvej-radius, 6px);
    --_gap: var(--postvej-spacing, 0.75rem);

    display: block;
    font-family: var(--_font);
    font-size: var(--_size);
    line-height: 1.45;
    color: var(--_text);
    background: var(--_bg);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h2,
  h3,
  h4 {
    margin: 0 0 0.4em;
    line-height: 1.2;
  }
  h2 {
    font-size: 1.3em;
  }
  h3 {
    font-size: 1.1em;
  }
  h4 {
    font-size: 1em;
  }
  p {
    margin: 0.3em 0;
  }
  .muted {
    color: var(--_muted);
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: var(--_radius);
    border: 1px solid var(--_accent);
    background: var(--_bg);
    color: var(--_accent);
    padding: 0.35em 0.9em;
    min-height: 2.25em;
  }
  button.primary {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  button.danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  button:disabled,
  button[aria-disabled=true] {
    cursor: not-allowed;
    border-color: var(--_border);
    color: var(--_muted);
    background: var(--_surface);
  }
  button:hover:not(:disabled) {
    text-decoration: underline;
  }
  input,
  select {
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.3em 0.4em;
  }
  input[type="checkbox"],
  input[type="radio"] {
    width: 1.15em;
    height: 1.15em;
    accent-color: var(--_accent);
  }
  :focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .error {
    border: 1px solid var(--_danger);
    color: var(--_danger);
    border-radius: var(--_radius);
    padding: 0.5em 0.75em;
    margin: 0.5em 0;
    background: var(--_bg);
  }
  .badge {
    display: inline-block;
    border-radius: 999px;
    padding: 0.05em 0.65em;
    font-size: 0.85em;
    font-weight: 600;
    border: 1px solid currentColor;
    background: var(--_bg);
  }
  .badge.ok {
    color: var(--_success);
  }
  .badge.bad {
    color: var(--_danger);
  }
  .badge.info {
    color: var(--_accent);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: center;
  }
`;
