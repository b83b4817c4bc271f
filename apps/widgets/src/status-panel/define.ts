import { PostvejStatusPanel } from "./status-panel.ts";

PostvejStatusPanel.define("postvej-status-panel");

declare global {
  interface HTMLElementTagNameMap {
    "postvej-status-panel": PostvejStatusPanel;
  }
}

export { PostvejStatusPanel };
