import type { Messages } from "./i18n/index.ts";

/** What the API says about one failed push: the status's `lastFailure` or a test delivery's answer. */
export interface FailureFacts {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Why a push failed, in the panel's language: the one place that turns the API's stable codes
 * (`PUSH_ERROR` in apps/api/src/delivery/push-client.ts, `http_<status>`, `no_signing_secret`,
 * `endpoint_refused: …`) into words. A code it does not know reads as "delivery failed", never raw.
 */
export function describeFailure(f: FailureFacts, t: Messages): string {
  const m = t.failure;
  const error = f.error ?? "";
  if (error === "timeout") return m.timeout(Math.max(1, Math.round(f.durationMs / 1000)));
  const code = f.statusCode;
  if (code !== null) {
    const meaning =
      code >= 300 && code < 400
        ? m.redirect
        : ((m.http as Readonly<Record<number, string | undefined>>)[code] ??
          (code >= 500 ? m.serverError : code >= 400 ? m.clientError : ""));
    return m.answered(String(code), meaning);
  }
  if (error === "redirect_not_followed") return m.redirect;
  const key = error.replace(/ /g, "_");
  if (Object.hasOwn(m.errors, key)) return (m.errors as Readonly<Record<string, string>>)[key] as string;
  // The endpoint policy's refusal: `endpoint_refused: <why>` from a delivery, the bare sentence from a test delivery.
  if (error.startsWith("endpoint_refused") || error.includes(" ")) return m.errors.endpoint_refused;
  return m.unknown;
}
