import { createHmac } from "node:crypto";
import { signPayload } from "@postvej/core/delivery";
import type { PayloadSigner } from "../delivery/push-client.ts";

/**
 * Standard Webhooks signing with node:crypto's HMAC, byte for byte core's `signPayload` (Web
 * Crypto is several times slower on Node, and imports the key on every push). A secret is checked
 * by core's own signer the first time it is seen (a malformed one throws the same
 * `SigningSecretError`); its key bytes are then kept, for at most `maxKeys` secrets.
 */
export function nodePayloadSigner(maxKeys = 1000): PayloadSigner {
  const keys = new Map<string, Buffer>();
  return async ({ secret, id, timestamp, body }) => {
    let key = keys.get(secret);
    if (!key) {
      const signature = await signPayload({ secret, id, timestamp, body });
      if (keys.size >= maxKeys) keys.clear();
      keys.set(secret, Buffer.from(secret.replace(/^whsec_/, ""), "base64"));
      return signature;
    }
    if (!Number.isSafeInteger(timestamp)) throw new RangeError("timestamp must be whole Unix seconds");
    return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest("base64")}`;
  };
}
