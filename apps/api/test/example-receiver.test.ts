import { readFile } from "node:fs/promises";
import { newSigningSecret } from "@postvej/core/delivery";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type ReceivedMessage } from "../../../examples/receiver/receiver.mjs";
import { pushMessage, type PushInput } from "../src/delivery/push-client.ts";

const secret = newSigningSecret();
const stored: ReceivedMessage[] = [];
let receiver: { port: number; close: () => Promise<void> };

beforeAll(async () => {
  receiver = await startReceiver({ secret, onMessage: async (m) => void stored.push(m) });
});
afterAll(() => receiver.close());

const memo = new TextEncoder().encode(
  `<?xml version="1.0" encoding="UTF-8"?><memo:Message xmlns:memo="https://DigitalPost.dk/MeMo-1">Kære borger – æøå</memo:Message>`,
);

function input(over: Partial<PushInput> = {}): PushInput {
  return {
    endpoint: `http://127.0.0.1:${receiver.port}/postvej`,
    signingSecret: secret,
    messageUuid: crypto.randomUUID(),
    contactPointId: "0d6b1f0e-5c5a-4a53-9d0b-6b1f0e5c5a4a",
    attempt: 1,
    body: memo,
    timeoutMs: 2000,
    // The example checks timestamps against the real clock, as a vendor's receiver would.
    signedAt: new Date(),
    ...over,
  };
}

describe("examples/receiver/receiver.mjs", () => {
  it("accepts a push from pushMessage and stores it once, however often it arrives", async () => {
    const push = input({ attempt: 1 });
    expect(await pushMessage(push)).toMatchObject({ outcome: "delivered", statusCode: 200 });
    expect(await pushMessage({ ...push, attempt: 2, signedAt: new Date() })).toMatchObject({ outcome: "delivered" });
    const mine = stored.filter((m) => m.messageUuid === push.messageUuid);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ contactPointId: "0d6b1f0e-5c5a-4a53-9d0b-6b1f0e5c5a4a", attempt: 1 });
    expect(new Uint8Array(mine[0]!.body)).toEqual(memo);
  });

  it("rejects a body changed on the way", async () => {
    const tampered = new TextEncoder().encode(new TextDecoder().decode(memo).replace("borger", "angriber"));
    const push = input({ fetch: (url, init) => fetch(url, { ...init, body: tampered }) });
    expect(await pushMessage(push)).toMatchObject({ outcome: "failed", statusCode: 401 });
    expect(stored.some((m) => m.messageUuid === push.messageUuid)).toBe(false);
  });

  it("rejects another secret's signature and a replay from ten minutes ago", async () => {
    const wrongSecret = input({ signingSecret: newSigningSecret() });
    expect(await pushMessage(wrongSecret)).toMatchObject({ outcome: "failed", statusCode: 401 });
    const stale = input({ signedAt: new Date(Date.now() - 10 * 60_000) });
    expect(await pushMessage(stale)).toMatchObject({ outcome: "failed", statusCode: 401 });
    const ids = [wrongSecret.messageUuid, stale.messageUuid];
    expect(stored.some((m) => ids.includes(m.messageUuid))).toBe(false);
  });

  it("accepts while a secret is rotated (two signatures, the old one first)", async () => {
    const push = input({
      fetch: (url, init) => {
        const headers = new Headers(init?.headers);
        headers.set("webhook-signature", `v1,${btoa("old-secret-signature-xxxxxxxxxxx")} ${headers.get("webhook-signature")}`);
        return fetch(url, { ...init, headers });
      },
    });
    expect(await pushMessage(push)).toMatchObject({ outcome: "delivered", statusCode: 200 });
  });
});

describe("docs/receiving.md", () => {
  it("shows the example's verification block verbatim", async () => {
    const source = await readFile(new URL("../../../examples/receiver/receiver.mjs", import.meta.url), "utf8");
    const doc = await readFile(new URL("../../../docs/receiving.md", import.meta.url), "utf8");
    const block = /\/\/ ---- Verification: copy this block into your receiver\. -+\n([\s\S]*?)\n\/\/ ---- End/.exec(source)?.[1];
    expect(block?.split("\n").length).toBeGreaterThan(15);
    expect(block?.split("\n").length).toBeLessThanOrEqual(35);
    // The doc drops the JSDoc comment; every other line must appear, in order.
    const code = block!.replace(/\/\*\*[\s\S]*?\*\/\n/, "");
    expect(doc).toContain(code);
  });
});
