import type { Notice, RenderedEmail } from "./notice.ts";
import { renderDeactivated } from "./render-deactivated.ts";
import { renderRelocationReceipt } from "./render-relocation-receipt.ts";
import { renderVirkDigest } from "./render-virk-digest.ts";
import { renderWarning } from "./render-warning.ts";

/** Renders a notice to a plain-text e-mail: Danish first, English alongside (subject `da / en`). */
export function renderEmail(notice: Notice): RenderedEmail {
  switch (notice.template) {
    case "warning_day2":
    case "warning_day5":
      return renderWarning(notice);
    case "deactivated":
      return renderDeactivated(notice);
    case "virk_digest":
      return renderVirkDigest(notice);
    case "relocation_receipt":
      return renderRelocationReceipt(notice);
  }
}
