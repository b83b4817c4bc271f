import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countingReceiver } from "./support/counting-receiver.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { callServer, seedPushAuthority, startNodeServer, stopNodeServer, until, type NodeServer } from "./support/node-server.ts";

const OPERATOR = "op_graceful_slow_push_test_0123";
const CVR = "29189846";
// Longer than the 10 s the shutdown used to wait, well within the push timeout below.
const SLOW_ANSWER_MS = 11_500;

describe("SIGTERM while a push waits for a slow receiver", () => {
  let server: NodeServer | undefined;
  let receiver: Awaited<ReturnType<typeof countingReceiver>> | undefined;
  afterAll(async () => {
    await stopNodeServer(server);
    await receiver?.close();
  });

  it("waits for the push's answer and records it (it never goes out twice), starts no new push, and the next start sends the rest at once", async () => {
    receiver = await countingReceiver((nth) => (nth === 0 ? SLOW_ANSWER_MS : 0));
    const dbFile = join(mkdtempSync(join(tmpdir(), "postvej-slow-push-")), "s.db");
    const env = {
      LIBSQL_URL: `file:${dbFile}`,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_MAIL_URL: `file:${join(dbFile, "..", "mail")}`,
      POSTVEJ_PUSH_TIMEOUT_MS: "20000",
      // One push at a time: the other messages of the run wait behind the slow one.
      POSTVEJ_DELIVERY_CONCURRENCY: "1",
    };
    server = await startNodeServer(env);
    const { admin, sender } = await seedPushAuthority(server.base, OPERATOR, CVR, receiver.url);
    const uuids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const m = memoFor(CVR);
      expect((await callServer(server.base, "POST", "/v1/messages", sender, m.xml, "application/xml")).status).toBe(202);
      uuids.push(m.uuid);
    }
    await until("the first push in flight", () => receiver!.received.size >= 1);
    const exited = new Promise<number | null>((ok) => server!.child.once("exit", (code) => ok(code)));
    const signalled = Date.now();
    server.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    // It waited for the slow answer rather than leaving it unrecorded at 10 s, and pushed nothing more meanwhile.
    expect(Date.now() - signalled).toBeGreaterThan(SLOW_ANSWER_MS - 2_000);
    expect(receiver.received.size).toBe(1);
    const [slow] = [...receiver.received.keys()];

    // The released rest goes out at once after the start (no lease to wait out), the slow one not again.
    server = await startNodeServer(env, server.port);
    await until("every message pushed", () => uuids.every((u) => receiver!.received.has(u)), 15_000);
    expect([...receiver.received.entries()].filter(([, n]) => n > 1)).toEqual([]);
    const slowOne = (await callServer(server.base, "GET", `/v1/messages/${slow}`, admin)).json as { state: string; attempts: unknown[] };
    expect(slowOne.state).toBe("delivered");
    expect(slowOne.attempts).toHaveLength(1);
  }, 90_000);
});
