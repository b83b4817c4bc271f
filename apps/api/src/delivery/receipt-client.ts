import { signPayload } from "@postvej/core/delivery";
import { classifyFetchError, drain, httpError, type PayloadSigner } from "./push-client.ts";

/** One signed receipt push to a sender's receipt endpoint. */
export type ReceiptPushInput = {
  url: string;
  /** The endpoint's `whsec_…` secret. */
  signingSecret: string;
  /** The receipt's id, sent as `webhook-id`. */
  receiptId: string;
  /** The receipt as JSON. */
  body: Uint8Array;
  timeoutMs: number;
  /** Signing time (`webhook-timestamp`): the wall clock, never a simulated domain clock. */
  signedAt: Date;
  fetch?: typeof fetch;
  /** How the payload is signed: core's Web Crypto `signPayload` unless the runtime brings a faster one (Node). */
  sign?: PayloadSigner;
};

/** What one receipt push did: a 2xx is `ok`; anything else has a stable `error` (the push client's texts, or `http_<status>`). */
export type ReceiptPushResult = { ok: boolean; statusCode: number | null; error: string | null };

/** POSTs a receipt, signed the Standard Webhooks way; never follows redirects, never throws on network failure. */
export async function pushReceipt(input: ReceiptPushInput): Promise<ReceiptPushResult> {
  const timestamp = Math.floor(input.signedAt.getTime() / 1000);
  const signature = await (input.sign ?? signPayload)({ secret: input.signingSecret, id: input.receiptId, timestamp, body: input.body });
  // A local binding, never `input.fetch(...)`: workerd refuses fetch called with a foreign `this`.
  const doFetch = input.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(input.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "postvej",
        "webhook-id": input.receiptId,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signature,
      },
      body: input.body as Uint8Array<ArrayBuffer>,
      redirect: "manual",
      signal: AbortSignal.timeout(input.timeoutMs),
    });
  } catch (error) {
    return { ok: false, statusCode: null, error: classifyFetchError(error) };
  }
  const status = response.status;
  await drain(response);
  if (status >= 200 && status < 300) return { ok: true, statusCode: status, error: null };
  return { ok: false, statusCode: status, error: httpError(status) };
}
