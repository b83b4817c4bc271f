import { clampRetryAfter, signPayload } from "@postvej/core/delivery";
import { joinChunks } from "../join-chunks.ts";
import { BUSINESS_RECEIPT_MAX_BYTES, parseBusinessReceipt, type Receipt } from "@postvej/core/lifecycle";

/** One push to a recipient system's endpoint. */
export interface PushInput {
  endpoint: string;
  /** The system's `whsec_…` secret. A malformed one throws `SigningSecretError`. */
  signingSecret: string;
  /** During a rotation's grace, the previous secret: its signature follows the current one's (space-separated). */
  previousSigningSecret?: string | undefined;
  messageUuid: string;
  contactPointId: string | null;
  /** 1 for the first attempt; sent as `postvej-attempt`. */
  attempt: number;
  body: Uint8Array;
  timeoutMs: number;
  /**
   * Signing time, sent as `webhook-timestamp`: always the wall clock (receivers refuse a timestamp
   * more than 5 minutes off theirs), never a simulated domain clock.
   */
  signedAt: Date;
  fetch?: typeof fetch;
  /** How the payload is signed: core's Web Crypto `signPayload` unless the runtime brings a faster one (Node). */
  sign?: PayloadSigner;
}

/** Signs a push the Standard Webhooks way, as core's `signPayload` does. */
export type PayloadSigner = (input: { secret: string; id: string; timestamp: number; body: Uint8Array }) => Promise<string>;

/** What became of one push: a 2xx is `delivered`, anything else `failed` with a stable `error`. */
export interface PushOutcome {
  outcome: "delivered" | "failed";
  statusCode: number | null;
  error: string | null;
  /** The receiver's clamped `Retry-After` (429 and 503 only). */
  retryAfterMs: number | null;
  durationMs: number;
  /** The business receipt a 2xx carried as JSON (`{ "receiptStatus": … }`), when it did. */
  businessReceipt?: Receipt;
}

/** Stable `error` texts for pushes that got no HTTP answer. */
export const PUSH_ERROR = {
  timeout: "timeout",
  connectionRefused: "connection_refused",
  connectionReset: "connection_reset",
  dnsFailure: "dns_failure",
  hostUnreachable: "host_unreachable",
  tlsError: "tls_error",
  invalidUrl: "invalid_url",
  /** A port the fetch standard forbids (25, 587, 6000, …); no request is ever made. */
  blockedPort: "blocked_port",
  redirectNotFollowed: "redirect_not_followed",
  /** The endpoint's name resolved to a private, loopback or other non-public address (production). */
  nonPublicAddress: "non_public_address",
  networkError: "network_error",
} as const;

// Enough to let a keep-alive connection be reused after a typical "OK" body; bigger bodies are cancelled.
const DRAIN_LIMIT_BYTES = 64 * 1024;

/** POSTs a MeMo to a push endpoint, signed the Standard Webhooks way; never follows redirects, never throws on network failure. */
export async function pushMessage(input: PushInput): Promise<PushOutcome> {
  const timestamp = Math.floor(input.signedAt.getTime() / 1000);
  const secrets = input.previousSigningSecret ? [input.signingSecret, input.previousSigningSecret] : [input.signingSecret];
  const sign = input.sign ?? signPayload;
  const signature = (await Promise.all(secrets.map((secret) => sign({ secret, id: input.messageUuid, timestamp, body: input.body })))).join(
    " ",
  );
  // A plain record (lower-case names), which fetch takes as it is and the Node transport hands to undici without a Headers in between.
  const headers: Record<string, string> = {
    "content-type": "application/xml",
    "user-agent": "postvej",
    "webhook-id": input.messageUuid,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signature,
    "postvej-attempt": String(input.attempt),
  };
  if (input.contactPointId !== null) headers["postvej-contact-point-id"] = input.contactPointId;

  // A local binding, never `input.fetch(...)`: workerd refuses fetch called with a foreign `this`.
  const doFetch = input.fetch ?? fetch;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let response: Response;
  try {
    response = await doFetch(input.endpoint, {
      method: "POST",
      headers,
      body: input.body as Uint8Array<ArrayBuffer>,
      redirect: "manual",
      signal: AbortSignal.timeout(input.timeoutMs),
    });
  } catch (error) {
    return { outcome: "failed", statusCode: null, error: classifyFetchError(error), retryAfterMs: null, durationMs: elapsed() };
  }
  const durationMs = elapsed();
  const status = response.status;
  const retryAfterMs = status === 429 || status === 503 ? clampRetryAfter(response.headers.get("retry-after"), input.signedAt) : null;
  const receipt = status >= 200 && status < 300 && isJson(response) ? await readBusinessReceipt(response) : (await drain(response), null);

  if (status >= 200 && status < 300)
    return {
      outcome: "delivered",
      statusCode: status,
      error: null,
      retryAfterMs: null,
      durationMs,
      ...(receipt ? { businessReceipt: receipt } : {}),
    };
  return { outcome: "failed", statusCode: status, error: httpError(status), retryAfterMs, durationMs };
}

/** The stable `error` of an answer that is not a 2xx: a redirect, which is never followed, or `http_<status>`. */
export function httpError(status: number): string {
  return status >= 300 && status < 400 ? PUSH_ERROR.redirectNotFollowed : `http_${status}`;
}

function isJson(response: Response): boolean {
  return /^application\/([\w.+-]*\+)?json\b/i.test(response.headers.get("content-type") ?? "");
}

/** A 2xx's JSON business receipt: read up to its size limit (a longer or broken body is no receipt; the push stays delivered). */
async function readBusinessReceipt(response: Response): Promise<Receipt | null> {
  const body = response.body;
  if (!body) return null;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let read = 0;
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      read += chunk.value.byteLength;
      if (read > BUSINESS_RECEIPT_MAX_BYTES) {
        await reader.cancel();
        return null;
      }
      chunks.push(chunk.value);
    }
  } catch {
    return null;
  } finally {
    reader.releaseLock();
  }
  const bytes = joinChunks(chunks, read);
  try {
    return parseBusinessReceipt(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)));
  } catch {
    return null;
  }
}

/** Reads (and discards) a small body so the connection can be reused; cancels anything larger. */
export async function drain(response: Response): Promise<void> {
  const body = response.body;
  if (!body) return;
  const reader = body.getReader();
  try {
    let read = 0;
    while (read <= DRAIN_LIMIT_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) return;
      read += chunk.value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The answer is already known; a body that breaks off or times out changes nothing.
  } finally {
    reader.releaseLock();
  }
}

/**
 * Maps what fetch threw, on Node (undici codes in `cause`) or workerd (messages), to a stable text.
 * workerd says "Network connection lost." for a refused and a reset connection alike, so there both
 * read `connection_reset` (on Cloudflare's network an unreachable origin mostly comes back as a 52x).
 */
export function classifyFetchError(error: unknown): string {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const { name, code, message } = current as { name?: unknown; code?: unknown; message?: unknown };
    if (name === "TimeoutError" || name === "AbortError") return PUSH_ERROR.timeout;
    for (const t of [code, message]) if (typeof t === "string") texts.push(t);
    current = (current as { cause?: unknown }).cause;
  }
  const all = texts.join(" ");
  const rules: [RegExp, string][] = [
    [/POSTVEJ_NON_PUBLIC_ADDRESS/, PUSH_ERROR.nonPublicAddress],
    [/ECONNREFUSED|refused/i, PUSH_ERROR.connectionRefused],
    [/ECONNRESET|UND_ERR_SOCKET|EPIPE|reset|other side closed|connection lost/i, PUSH_ERROR.connectionReset],
    [/ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|timed? ?out/i, PUSH_ERROR.timeout],
    [/ENOTFOUND|EAI_AGAIN|dns|resolve/i, PUSH_ERROR.dnsFailure],
    [/EHOSTUNREACH|ENETUNREACH|unreachable/i, PUSH_ERROR.hostUnreachable],
    [/CERT|TLS|SSL|self[- ]signed|UNABLE_TO_VERIFY/i, PUSH_ERROR.tlsError],
    [/Invalid URL|parse URL|ERR_INVALID_URL/i, PUSH_ERROR.invalidUrl],
    [/bad port/i, PUSH_ERROR.blockedPort],
  ];
  for (const [pattern, result] of rules) if (pattern.test(all)) return result;
  return PUSH_ERROR.networkError;
}
