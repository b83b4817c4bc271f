// A push's 2xx may carry the recipient system's business receipt as JSON (issue 12 §2): the push
// client reads it within its size bound, from a real loopback answer; anything else is a plain delivery.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { newSigningSecret } from "@postvej/core/delivery";
import { describe, expect, it } from "vitest";
import { pushMessage } from "../src/delivery/push-client.ts";

/** A loopback endpoint that answers every push with this status, content type and body. */
async function answering(status: number, type: string | null, body: string) {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(status, type ? { "content-type": type } : {}).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const push = () =>
    pushMessage({
      endpoint: `http://127.0.0.1:${port}/in`,
      signingSecret: newSigningSecret(),
      messageUuid: crypto.randomUUID(),
      contactPointId: null,
      attempt: 1,
      body: new TextEncoder().encode("<x/>"),
      timeoutMs: 2000,
      signedAt: new Date(),
    });
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { push, close };
}

describe("a business receipt in a push's 2xx", () => {
  it("is read from a JSON body with a known receiptStatus", async () => {
    const e = await answering(200, "application/json; charset=utf-8", JSON.stringify({ receiptStatus: "NOT_ALLOWED", errorCode: "E9" }));
    try {
      expect(await e.push()).toMatchObject({
        outcome: "delivered",
        statusCode: 200,
        businessReceipt: { status: "NOT_ALLOWED", errorCode: "E9" },
      });
    } finally {
      await e.close();
    }
  });

  it("is none for another body: not JSON, too long, broken, an unknown status, or a failed push", async () => {
    const cases: [number, string | null, string][] = [
      [200, "text/plain", JSON.stringify({ receiptStatus: "RECEIVED" })],
      [200, null, ""],
      [201, "application/json", JSON.stringify({ receiptStatus: "RECEIVED", pad: "x".repeat(17 * 1024) })],
      [200, "application/json", "{ receiptStatus"],
      [200, "application/json", JSON.stringify({ receiptStatus: "DONE" })],
      [500, "application/json", JSON.stringify({ receiptStatus: "RECEIVED" })],
    ];
    for (const [status, type, body] of cases) {
      const e = await answering(status, type, body);
      try {
        const r = await e.push();
        expect(r.outcome, body.slice(0, 40)).toBe(status < 300 ? "delivered" : "failed");
        expect(r.businessReceipt, body.slice(0, 40)).toBeUndefined();
      } finally {
        await e.close();
      }
    }
  });
});
