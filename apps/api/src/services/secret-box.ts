// Signing secrets at rest. HMAC needs a push system's secret itself (not a hash), so it is stored
// as it must be used; with POSTVEJ_SECRET_KEY set it is sealed with AES-256-GCM through Web Crypto
// (Node and Workers alike), bound to its system so a sealed value copied onto another row does not
// open. Values stored before the key was set stay readable as they are, and are sealed when the
// secret is next rotated. Web-standard only.

/** How a sealed value begins: the format's version, then base64url of a 12-byte IV and the ciphertext with its tag. */
export const SEALED_PREFIX = "pvenc1:";

/** A stored secret that cannot be opened: sealed without POSTVEJ_SECRET_KEY set, under another key, or for another row. */
export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

/**
 * The value to store for `secret`, which belongs to `owner` (a recipient system's id): sealed
 * under `key` (POSTVEJ_SECRET_KEY's 32 bytes), or the secret itself when there is no key.
 */
export async function sealSecret(key: Uint8Array | null | undefined, secret: string, owner: string): Promise<string> {
  if (!key) return secret;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(owner) }, await aesKey(key), new TextEncoder().encode(secret)),
  );
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv, 0);
  out.set(sealed, iv.length);
  return SEALED_PREFIX + toBase64Url(out);
}

/**
 * The secret a stored value of `owner` holds: a sealed one opened with `key`, any other as it is
 * (stored before the key was set). Throws SecretBoxError when a sealed value does not open.
 */
export async function openSecret(key: Uint8Array | null | undefined, stored: string, owner: string): Promise<string> {
  if (!stored.startsWith(SEALED_PREFIX)) return stored;
  if (!key) throw new SecretBoxError("a signing secret is sealed, but POSTVEJ_SECRET_KEY is not set");
  const bytes = fromBase64Url(stored.slice(SEALED_PREFIX.length));
  if (!bytes || bytes.length < 12 + 16) throw new SecretBoxError("a sealed signing secret is malformed");
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: aad(owner) },
      await aesKey(key),
      bytes.subarray(12),
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new SecretBoxError("a sealed signing secret does not open with POSTVEJ_SECRET_KEY (another key, or another system's value)");
  }
}

/** True when a stored value is sealed. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

// Imported per use (tens of microseconds, beside a push's milliseconds): nothing is kept between
// requests, so no request ever waits on work another one started.
function aesKey(key: Uint8Array): Promise<CryptoKey> {
  if (key.length !== 32) throw new RangeError("the secret key must be 32 bytes");
  return crypto.subtle.importKey("raw", key as Uint8Array<ArrayBuffer>, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

/** Binds a sealed value to its row: opened for another system it fails. */
function aad(owner: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`postvej signing secret ${owner}`);
}

/** The 32 bytes of a POSTVEJ_SECRET_KEY value (base64 or base64url), or null when it is not that. */
export function parseSecretKey(text: string): Uint8Array | null {
  const bytes = fromBase64Url(text.trim().replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
  return bytes && bytes.length === 32 ? bytes : null;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}
