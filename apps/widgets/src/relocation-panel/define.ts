import { PostvejRelocationPanel } from "./relocation-panel.ts";

PostvejRelocationPanel.define("postvej-relocation-panel");

declare global {
  interface HTMLElementTagNameMap {
    "postvej-relocation-panel": PostvejRelocationPanel;
  }
}

export { PostvejRelocationPanel };
