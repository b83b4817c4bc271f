// Inside workerd: a Worker whose database cannot be reached (nothing listens on its port) answers
// 503 `database_unavailable` with Retry-After, as the Node server does, not 500. workerd's fetch
// fails such a connection with a bare "Network connection lost." (no Node error code), which fell
// through to 500 `internal_error`, from the isolate's first request (its migration) on.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env as rawEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker, { type Env } from "../../src/worker.ts";
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
});
