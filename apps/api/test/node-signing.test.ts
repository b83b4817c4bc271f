import { describe, expect, it } from "vitest";
import { newSigningSecret, signPayload, SigningSecretError, verifyWebhook } from "@postvej/core/delivery";
import { nodePayloadSigner } from "../src/node/node-signing.ts";

describe("nodePayloadSigner", () => {
  it("signs byte for byte as core's signPayload, from the first use of a secret and after", async () => {
    const sign = nodePayloadSigner();
    const secret = newSigningSecret();
    const body = new Uint8Array([0xff, 0x00, 0x3c, 0x61, 0x3e, 0xc3]);
    for (let i = 0; i < 3; i++) {
      const input = { secret, id: `msg-${i}`, timestamp: 1_790_000_000 + i, body };
      const mine = await sign(input);
      expect(mine).toBe(await signPayload(input));
      const headers = { "webhook-id": input.id, "webhook-timestamp": String(input.timestamp), "webhook-signature": mine };
      expect(await verifyWebhook({ secret, headers, body, now: new Date(input.timestamp * 1000) })).toEqual({ ok: true });
    }
    const other = newSigningSecret();
    expect(await sign({ secret: other, id: "x", timestamp: 1, body })).toBe(
      await signPayload({ secret: other, id: "x", timestamp: 1, body }),
    );
  });

  it("refuses a malformed secret and a fractional timestamp as core does", async () => {
    const sign = nodePayloadSigner();
    await expect(sign({ secret: "whsec_", id: "x", timestamp: 1, body: new Uint8Array() })).rejects.toBeInstanceOf(SigningSecretError);
    const secret = newSigningSecret();
    await sign({ secret, id: "x", timestamp: 1, body: new Uint8Array() });
    await expect(sign({ secret, id: "x", timestamp: 1.5, body: new Uint8Array() })).rejects.toBeInstanceOf(RangeError);
  });
});
