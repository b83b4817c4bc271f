import { newSigningSecret } from "@postvej/core/delivery";
import { secretsInForce, type StoredSecrets } from "@postvej/core/lifecycle";
import {
  listUnsealedReceiptSecrets,
  listUnsealedSecrets,
  replaceReceiptSecret,
  replaceStoredSecret,
  type Db,
  type RecipientSystemsTable,
} from "@postvej/db";
import { openSecret, sealSecret, SEALED_PREFIX, SecretBoxError } from "./secret-box.ts";

/** A push system's secrets as its row stores them (sealed or not). */
export function storedSecrets(
  s: Pick<RecipientSystemsTable, "signing_secret" | "previous_signing_secret" | "previous_secret_valid_until">,
): StoredSecrets<string> {
  return {
    current: s.signing_secret,
    previous: s.previous_signing_secret ?? null,
    previousValidUntil: s.previous_secret_valid_until ?? null,
  };
}

/**
 * The secrets a push at `now` (the wall clock) is signed with, opened: the current one first, then
 * the previous one while a rotation's grace lasts. Empty when the system has none, or when a
 * sealed one does not open with `key` (said in the log: POSTVEJ_SECRET_KEY is missing or another
 * one); the push then fails as `no_signing_secret`, never unsigned.
 */
export async function signingSecretsFor(key: Uint8Array | null | undefined, s: RecipientSystemsTable, now: Date): Promise<string[]> {
  try {
    return await Promise.all(secretsInForce(storedSecrets(s), now).map((stored) => openSecret(key, stored, s.id)));
  } catch (e) {
    if (!(e instanceof SecretBoxError)) throw e;
    console.error(`postvej: recipient system ${s.id}: ${e.message}`);
    return [];
  }
}

/** A fresh `whsec_` secret for system `id`: to show once, and to store (sealed when there is a key). */
export async function freshSigningSecret(key: Uint8Array | null | undefined, id: string): Promise<{ secret: string; stored: string }> {
  const secret = newSigningSecret();
  return { secret, stored: await sealSecret(key, secret, id) };
}

/**
 * With a key, seals every signing secret still stored in clear (kept from before POSTVEJ_SECRET_KEY
 * was set): push systems' secrets and senders' receipt-endpoint secrets; run once as a process or
 * isolate starts. A value rotated or replaced meanwhile is left as it is. Returns how many values
 * it sealed.
 */
export async function sealStoredSecrets(db: Db, key: Uint8Array | null): Promise<number> {
  if (!key) return 0;
  let sealed = 0;
  for (const row of await listUnsealedSecrets(db, SEALED_PREFIX)) {
    for (const column of ["signing_secret", "previous_signing_secret"] as const) {
      const plain = row[column];
      if (plain === null || plain === undefined || plain.startsWith(SEALED_PREFIX)) continue;
      if (await replaceStoredSecret(db, row.id, column, plain, await sealSecret(key, plain, row.id))) sealed++;
    }
  }
  // A receipt endpoint's secret belongs to its sender key (the owner it is sealed to and opened with).
  for (const row of await listUnsealedReceiptSecrets(db, SEALED_PREFIX)) {
    const to = await sealSecret(key, row.signing_secret, row.sender_key_id);
    if (await replaceReceiptSecret(db, row.sender_key_id, row.signing_secret, to)) sealed++;
  }
  return sealed;
}
