// Inside workerd: receipts back to the sender (issue 12 §2). The Worker's scheduled handler runs
// the receipt job beside the others: a delivered message's receipt is pushed to the sender's
// endpoint, signed with the endpoint's secret (sealed at rest with POSTVEJ_SECRET_KEY, opened by
// workerd's Web Crypto), and verified by the loopback receiver on the Node side.
import { env as rawEnv } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { runScheduled, type Env } from "../../src/worker.ts";
import { memoFor, must, receiverEndpoint, registerSecret, seedAuthority, seenBy } from "./in-worker.ts";

const env = rawEnv as unknown as Env;
const CVR = "10000009";
const XML = { "content-type": "application/xml" };

describe("the Worker's scheduled handler", () => {
  it("pushes a delivered message's receipt to the sender's endpoint, signed, once", async () => {
    const s = await seedAuthority(CVR, "receipts-system");
    const endpoint = await must(201, "PUT", "/v1/receipt-endpoint", s.sender, { url: receiverEndpoint("receipts-sender") });
    await registerSecret("receipts-sender", endpoint.signingSecret as string);
    const m = memoFor(CVR, { contactPointId: s.cp.id });
    await must(202, "POST", "/v1/messages", s.sender, m.xml, XML);
    await vi.waitFor(async () => expect((await must(200, "GET", `/v1/messages/${m.uuid}`, s.sender)).state).toBe("delivered"), {
      timeout: 20_000,
      interval: 100,
    });

    const report = await runScheduled(env);
    expect(report.receipts).toMatchObject({ claimed: 1, pushed: 1 });
    const feed = await must(200, "GET", "/v1/receipts", s.sender);
    expect(feed.items).toMatchObject([
      { type: "delivered", messageUUID: m.uuid, recipientSystemId: s.system.id, push: { state: "pushed" } },
    ]);
    const seen = await seenBy("receipts-sender");
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ webhookId: feed.items[0].id, verified: true, rejection: null });
    expect(seen[0]!.contentType).toMatch(/^application\/json/);

    expect((await runScheduled(env)).receipts).toMatchObject({ claimed: 0 });
    expect(await seenBy("receipts-sender")).toHaveLength(1);
  });
});
