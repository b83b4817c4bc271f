const SECRET_PREFIX = "whsec_";
const SIGNATURE_VERSION = "v1";

/** A signing secret is malformed: not `whsec_` + base64 of at least one byte. */
export class SigningSecretError extends Error {
  override name = "SigningSecretError";
}

/** Why a webhook did not verify. */
export const WEBHOOK_REJECTION = {
  missingHeaders: "missing_headers",
  invalidTimestamp: "invalid_timestamp",
  timestampTooOld: "timestamp_too_old",
  timestampTooNew: "timestamp_too_new",
  noMatchingSignature: "no_matching_signature",
} as const;
export type WebhookRejection = (typeof WEBHOOK_REJECTION)[keyof typeof WEBHOOK_REJECTION];

/** Headers as Web `Headers` or a plain record such as Node's `IncomingHttpHeaders`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** A fresh Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** The `v1,<base64>` HMAC-SHA256 signature of `${id}.${timestamp}.${body}` (Standard Webhooks). */
export async function signPayload(input: { secret: string; id: string; timestamp: number; body: Uint8Array }): Promise<string> {
  if (!Number.isSafeInteger(input.timestamp)) throw new RangeError("timestamp must be whole Unix seconds");
  const key = await importKey(input.secret);
  const mac = await crypto.subtle.sign("HMAC", key, signedContent(input.id, input.timestamp, input.body));
  return `${SIGNATURE_VERSION},${toBase64(new Uint8Array(mac))}`;
}

/** Checks the Standard Webhooks headers of a received body: any `v1` signature and the timestamp window. */
export async function verifyWebhook(input: {
  secret: string;
  headers: WebhookHeaders;
  body: Uint8Array;
  now: Date;
  toleranceSeconds?: number;
}): Promise<{ ok: true } | { ok: false; reason: WebhookRejection }> {
  const id = header(input.headers, "webhook-id");
  const timestampText = header(input.headers, "webhook-timestamp");
  const signatures = header(input.headers, "webhook-signature");
  if (!id || !timestampText || !signatures) return { ok: false, reason: WEBHOOK_REJECTION.missingHeaders };
  if (!/^[0-9]{1,15}$/.test(timestampText)) return { ok: false, reason: WEBHOOK_REJECTION.invalidTimestamp };

  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor(input.now.getTime() / 1000);
  const tolerance = input.toleranceSeconds ?? 300;
  if (nowSeconds - timestamp > tolerance) return { ok: false, reason: WEBHOOK_REJECTION.timestampTooOld };
  if (timestamp - nowSeconds > tolerance) return { ok: false, reason: WEBHOOK_REJECTION.timestampTooNew };

  const key = await importKey(input.secret);
  const expected = new Uint8Array(await crypto.subtle.sign("HMAC", key, signedContent(id, timestamp, input.body)));
  // Several signatures appear while a secret is rotated; any valid v1 one is enough.
  let matched = false;
  for (const candidate of signatures.split(" ")) {
    const comma = candidate.indexOf(",");
    if (comma < 0 || candidate.slice(0, comma) !== SIGNATURE_VERSION) continue;
    const given = tryFromBase64(candidate.slice(comma + 1));
    // No early exit, so the time taken does not reveal which signature matched.
    if (given && constantTimeEqual(given, expected)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: WEBHOOK_REJECTION.noMatchingSignature };
}

function signedContent(id: string, timestamp: number, body: Uint8Array): Uint8Array<ArrayBuffer> {
  // Sign the bytes as sent, not a decoded string, so non-UTF-8 bodies stay exact.
  const head = new TextEncoder().encode(`${id}.${timestamp}.`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

async function importKey(secret: string): Promise<CryptoKey> {
  const raw = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = tryFromBase64(raw);
  if (!bytes || bytes.length === 0) throw new SigningSecretError("signing secret must be whsec_ + base64");
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value.join(" ") : value;
  }
  return undefined;
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function tryFromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
