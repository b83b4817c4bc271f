// Inside workerd: a Worker whose database cannot be reached (nothing listens on its port) answers
// 503 `database_unavailable` with Retry-After, as the Node server does, not 500. workerd's fetch
// fails such a connection with a bare "Network connection lost." (no Node error code), which fell
// through to 500 `internal_error`, from the isolate's first request (its migration) on.
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env as rawEnv } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker, { type Env } from "../../src/worker.ts";
import type { DeliveryBatch } from "../../src/worker-deliveries.ts";
import { OPERATOR } from "./in-worker.ts";

const env = rawEnv as unknown as Env;
// Port 1 on loopback: privileged and unused, so the connection is refused at once.
const GONE = { LIBSQL_URL: "http://127.0.0.1:1" };

async function fetchGone(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request(`https://postvej.test${path}`, init) as Parameters<typeof worker.fetch>[0];
  const res = await worker.fetch(request, { ...env, ...GONE }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("the Worker with its database out of reach", () => {
  it("answers /healthz and an operator's request 503 database_unavailable with Retry-After", async () => {
    for (const [path, init] of [
      ["/healthz", {}],
      ["/v1/authorities/29189846/status", { headers: { authorization: `Bearer ${OPERATOR}` } }],
    ] as const) {
      const res = await fetchGone(path, init);
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await res.json()).toMatchObject({ code: "database_unavailable", detail: expect.stringContaining("cannot be reached") });
    }
  });

  it("hands a Queue message back for 30 s when its isolate cannot reach the database, as deploy-workers.md says", async () => {
    // The consumer's own isolate fails before it reads any claim: nothing is pushed, nothing acknowledged.
    const body: DeliveryBatch = { token: "tok_unreachable", claimed: [] };
    const batch = createMessageBatch<DeliveryBatch>("postvej-deliveries", [{ id: "q-gone", timestamp: new Date(), attempts: 1, body }]);
    // The test pool records that the batch is retried, not the delay asked for: the call shows it.
    const retryAll = vi.spyOn(batch, "retryAll");
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, ...GONE }, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.outcome).toBe("ok");
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryBatch.retry).toBe(true);
    expect(retryAll).toHaveBeenCalledWith({ delaySeconds: 30 });
  });
});
