/** Id prefixes, one per kind of record. */
export const ID_PREFIX = {
  recipientSystem: "rs",
  apiKey: "key",
  relocation: "rel",
  portalSession: "ps",
  notification: "ntf",
} as const;
export type IdKind = keyof typeof ID_PREFIX;

export type RecipientSystemId = `rs_${string}`;
export type ApiKeyId = `key_${string}`;
export type RelocationId = `rel_${string}`;

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Random lowercase base-36 string of `length` characters from the Web Crypto RNG. */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += ALPHABET[b % 36];
  return out;
}

/** A new id such as `rs_k3j…` for the given kind. */
export function newId<K extends IdKind>(kind: K): `${(typeof ID_PREFIX)[K]}_${string}` {
  return `${ID_PREFIX[kind]}_${randomToken(16)}`;
}
