import type { SenderReceipt, SenderReceiptInFeed } from "@postvej/contract";
import { startRecipientServer } from "./recipient-server.ts";
import { must } from "./reply.ts";
import type { TestApp } from "./test-app.ts";

/** A sender's receipt endpoint on a real loopback receiver that verifies every push's signature with its secret. */
export async function receiptEndpoint(t: TestApp, senderKey: string, path = "/receipts") {
  const r = await startRecipientServer();
  const created = must(await t.call("PUT", "/v1/receipt-endpoint", senderKey, { url: r.url(path) }), 201);
  r.register(path, created.signingSecret as string);
  /** The receipts pushed and verified, parsed, in order. */
  const received = () => r.bodies.filter((b) => b.path === path).map((b) => JSON.parse(new TextDecoder().decode(b.body)) as SenderReceipt);
  return { r, path, secret: created.signingSecret as string, received };
}

/** Every receipt in a sender key's pull feed, page by page (`limit` a page). */
export async function wholeFeed(t: TestApp, senderKey: string, limit = 500): Promise<SenderReceiptInFeed[]> {
  const out: SenderReceiptInFeed[] = [];
  let cursor = "";
  for (;;) {
    const page = must(await t.call("GET", `/v1/receipts?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, senderKey), 200);
    out.push(...page.items);
    if (page.items.length === 0) return out;
    cursor = page.nextCursor;
  }
}
