// Black box: the Workers entry under `wrangler dev --local` with its database behind a proxy that
// can stall (a wedged sqld takes connections and answers nothing). An intake that waits on the
// database is answered 503 `database_unavailable` with Retry-After within the configured deadline,
// not left hanging, and intake works again once the database answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { must, send } from "./http.ts";
import { memoFor } from "../support/memo-fixtures.ts";
import { startStallProxy } from "../support/stall-proxy.ts";
import { type DevWorker, type Sqld, startDevWorker, startSqld, tearDown, tempDir } from "./stack.ts";

const OPERATOR = "wrangler-dev-operator-0123456789";
const CVR = "34051178";
const DEADLINE_MS = 2_000;

const enabled = process.env.POSTVEJ_WRANGLER_DEV === "1";

describe.skipIf(!enabled)("the Worker under wrangler dev --local, its database stalled", () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let sqld: Sqld | undefined;
  let proxy: Awaited<ReturnType<typeof startStallProxy>> | undefined;
  let worker: DevWorker | undefined;

  beforeAll(async () => {
    tmp = tempDir("postvej-wrangler-stall-");
    sqld = await startSqld(tmp.path);
    const u = new URL(sqld.url);
    proxy = await startStallProxy({ host: u.hostname, port: Number(u.port) });
    worker = await startDevWorker(tmp.path, {
      LIBSQL_URL: proxy.url,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_ENV: "development",
      POSTVEJ_MAIL_FROM: "postvej@postvej.test",
      POSTVEJ_DB_TIMEOUT_MS: String(DEADLINE_MS),
    });
  }, 120_000);

  afterAll(async () => {
    await tearDown([() => worker?.stop(), () => proxy?.close(), () => sqld?.stop(), () => tmp?.remove()]);
  }, 60_000);

  it("answers an intake 503 database_unavailable within the deadline, and takes intake again afterwards", async () => {
    const base = worker!.url;
    const op = { token: OPERATOR };
    await must(201, base, "/v1/authorities", { ...op, method: "POST", body: { cvr: CVR, name: "Stall Kommune" } });
    const sender = (
      await must(201, base, `/v1/authorities/${CVR}/api-keys`, { ...op, method: "POST", body: { role: "sender", label: "sender" } })
    ).key as string;
    const first = memoFor(CVR);
    await must(202, base, "/v1/messages", { method: "POST", token: sender, body: first.xml });

    proxy!.stall();
    const stalled = memoFor(CVR);
    const started = Date.now();
    const answer = await send(base, "/v1/messages", { method: "POST", token: sender, body: stalled.xml, timeoutMs: 30_000 });
    const took = Date.now() - started;
    console.log(
      `stalled database: intake answered ${answer.status || answer.error} after ${took} ms (deadline ${DEADLINE_MS} ms per database request)`,
    );
    expect(answer.status).toBe(503);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.json).toMatchObject({ code: "database_unavailable" });
    // One database request's deadline, not a round of them (a failed write is not retried another
    // way inside the request), and never the client's 30 s.
    expect(took).toBeLessThan(2 * DEADLINE_MS);

    proxy!.flow();
    // The same message again is safe: stored once (202) whether or not the stalled write landed (200).
    const again = await send(base, "/v1/messages", { method: "POST", token: sender, body: stalled.xml });
    expect([200, 202]).toContain(again.status);
    await must(202, base, "/v1/messages", { method: "POST", token: sender, body: memoFor(CVR).xml });
  }, 90_000);
});
