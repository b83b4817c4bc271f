import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newSigningSecret, signPayload, SigningSecretError, verifyWebhook } from "./signing.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const xml = `<?xml version="1.0" encoding="UTF-8"?><memo:Message xmlns:memo="urn:x">Æblegrød – ok</memo:Message>`;

describe("newSigningSecret", () => {
  it("is whsec_ + base64 of 32 random bytes, different every time", () => {
    const a = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(a.slice(6))).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(a);
  });
});

describe("signPayload", () => {
  it("matches the published Standard Webhooks test vector", async () => {
    const signature = await signPayload({
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      timestamp: 1614265330,
      body: utf8('{"test": 2432232314}'),
    });
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("produces signatures the standardwebhooks package accepts", async () => {
    const secret = newSigningSecret();
    const id = "8c2ea15d-61fb-4ba9-9366-42f8b194c114";
    // The package checks the timestamp against the real clock, so sign with it.
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await signPayload({ secret, id, timestamp, body: utf8(xml) });
    const headers = { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
    expect(() => new Webhook(secret).verify(xml, headers, { jsonParse: false })).not.toThrow();
    expect(() => new Webhook(secret).verify(xml + " ", headers, { jsonParse: false })).toThrow(/signature/);
    expect(() => new Webhook(newSigningSecret()).verify(xml, headers, { jsonParse: false })).toThrow();
  });

  it("refuses a timestamp that is not whole seconds", async () => {
    const secret = newSigningSecret();
    await expect(signPayload({ secret, id: "x", timestamp: Date.now() / 1000 + 0.5, body: utf8("") })).rejects.toThrow(RangeError);
  });

  it("refuses a malformed secret", async () => {
    await expect(signPayload({ secret: "whsec_", id: "x", timestamp: 1, body: utf8("") })).rejects.toThrow(SigningSecretError);
    await expect(signPayload({ secret: "whsec_%%%", id: "x", timestamp: 1, body: utf8("") })).rejects.toThrow(SigningSecretError);
  });
});

describe("verifyWebhook", () => {
  const secret = newSigningSecret();
  const id = "8c2ea15d-61fb-4ba9-9366-42f8b194c114";
  const now = new Date("2026-11-27T10:00:00Z");
  const nowSeconds = now.getTime() / 1000;
  const body = utf8(xml);

  async function headersAt(timestamp: number, signature?: string): Promise<Record<string, string>> {
    return {
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature ?? (await signPayload({ secret, id, timestamp, body })),
    };
  }

  it("accepts the package's signatures", async () => {
    const date = new Date();
    const signature = new Webhook(secret).sign(id, date, xml);
    const timestamp = Math.floor(date.getTime() / 1000);
    const result = await verifyWebhook({ secret, headers: await headersAt(timestamp, signature), body, now: date });
    expect(result).toEqual({ ok: true });
  });

  it("accepts Web Headers and mixed-case record keys", async () => {
    const h = await headersAt(nowSeconds);
    expect(await verifyWebhook({ secret, headers: new Headers(h), body, now })).toEqual({ ok: true });
    const upper = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]));
    expect(await verifyWebhook({ secret, headers: upper, body, now })).toEqual({ ok: true });
  });

  it("accepts when any one of several v1 signatures matches (secret rotation)", async () => {
    const other = await signPayload({ secret: newSigningSecret(), id, timestamp: nowSeconds, body });
    const good = await signPayload({ secret, id, timestamp: nowSeconds, body });
    for (const list of [`${other} ${good}`, `${good} ${other}`, `v2,abc ${good}`, `garbage ${good}`]) {
      expect(await verifyWebhook({ secret, headers: await headersAt(nowSeconds, list), body, now })).toEqual({
        ok: true,
      });
    }
  });

  it.each([
    ["a tampered body", async () => ({ headers: await headersAt(nowSeconds), body: utf8(xml + " ") }), "no_matching_signature"],
    [
      "another secret's signature",
      async () => ({
        headers: await headersAt(nowSeconds, await signPayload({ secret: newSigningSecret(), id, timestamp: nowSeconds, body })),
        body,
      }),
      "no_matching_signature",
    ],
    ["a changed id", async () => ({ headers: { ...(await headersAt(nowSeconds)), "webhook-id": "other" }, body }), "no_matching_signature"],
    [
      "a right signature labelled v2",
      async () => {
        const sig = await signPayload({ secret, id, timestamp: nowSeconds, body });
        return { headers: await headersAt(nowSeconds, sig.replace("v1,", "v2,")), body };
      },
      "no_matching_signature",
    ],
    [
      "a truncated signature",
      async () => {
        const sig = await signPayload({ secret, id, timestamp: nowSeconds, body });
        return { headers: await headersAt(nowSeconds, sig.slice(0, -4)), body };
      },
      "no_matching_signature",
    ],
    ["a timestamp 301 s old", async () => ({ headers: await headersAt(nowSeconds - 301), body }), "timestamp_too_old"],
    ["a timestamp 301 s ahead", async () => ({ headers: await headersAt(nowSeconds + 301), body }), "timestamp_too_new"],
    [
      "a non-numeric timestamp",
      async () => ({ headers: { ...(await headersAt(nowSeconds)), "webhook-timestamp": "1e9" }, body }),
      "invalid_timestamp",
    ],
    [
      "no signature header",
      async () => ({ headers: { "webhook-id": id, "webhook-timestamp": String(nowSeconds) }, body }),
      "missing_headers",
    ],
  ])("rejects %s", async (_name, make, reason) => {
    const { headers, body: sent } = await make();
    expect(await verifyWebhook({ secret, headers, body: sent, now })).toEqual({ ok: false, reason });
  });

  it("accepts the edges of the window and honours a custom tolerance", async () => {
    for (const t of [nowSeconds - 300, nowSeconds + 300]) {
      expect(await verifyWebhook({ secret, headers: await headersAt(t), body, now })).toEqual({ ok: true });
    }
    const h = await headersAt(nowSeconds - 31);
    expect(await verifyWebhook({ secret, headers: h, body, now, toleranceSeconds: 30 })).toEqual({
      ok: false,
      reason: "timestamp_too_old",
    });
  });

  it("signs raw bytes, so a body that is not UTF-8 still round-trips", async () => {
    const raw = new Uint8Array([0x3c, 0xff, 0xfe, 0x00, 0x3e]);
    const signature = await signPayload({ secret, id, timestamp: nowSeconds, body: raw });
    const headers = await headersAt(nowSeconds, signature);
    expect(await verifyWebhook({ secret, headers, body: raw, now })).toEqual({ ok: true });
    expect((await verifyWebhook({ secret, headers, body: raw.slice(0, 4), now })).ok).toBe(false);
  });
});
