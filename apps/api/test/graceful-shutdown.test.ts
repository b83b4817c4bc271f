import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countingReceiver } from "./support/counting-receiver.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { callServer, seedPushAuthority, startNodeServer, stopNodeServer, until, type NodeServer } from "./support/node-server.ts";

const OPERATOR = "op_graceful_shutdown_test_012345";
const CVR = "29189846";

describe("SIGTERM in the middle of deliveries, then a start on the same file", () => {
  let server: NodeServer | undefined;
  let receiver: Awaited<ReturnType<typeof countingReceiver>> | undefined;
  afterAll(async () => {
    await stopNodeServer(server);
    await receiver?.close();
  });

  it("records every push in flight before it exits (none repeats), and the next start sends the rest at once", async () => {
    receiver = await countingReceiver(() => 50);
    const dbFile = join(mkdtempSync(join(tmpdir(), "postvej-sigterm-")), "g.db");
    const env = {
      LIBSQL_URL: `file:${dbFile}`,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_MAIL_URL: `file:${join(dbFile, "..", "mail")}`,
      // Runs of 4 messages at 2 pushes at once: many runs, so SIGTERM lands inside one; and a
      // scheduler tick's single batch (4) is far from the backlog the next start finds.
      POSTVEJ_DELIVERY_PER_SYSTEM: "4",
      POSTVEJ_DELIVERY_CONCURRENCY: "2",
    };
    server = await startNodeServer(env);
    const call = (method: string, path: string, token: string, body?: string, type?: string) =>
      callServer(server!.base, method, path, token, body, type);
    const { admin, sender } = await seedPushAuthority(server.base, OPERATOR, CVR, receiver.url);

    const uuids: string[] = [];
    for (let i = 0; i < 80; i++) {
      const m = memoFor(CVR);
      expect((await call("POST", "/v1/messages", sender, m.xml, "application/xml")).status).toBe(202);
      uuids.push(m.uuid);
    }
    await until("10 acknowledged pushes", () => receiver!.received.size >= 10);
    const exited = new Promise<number | null>((ok) => server!.child.once("exit", (code) => ok(code)));
    server.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const atExit = receiver.received.size;
    expect(atExit).toBeLessThan(uuids.length);

    // No fresh message and no wait for a lease: the start's first tick finds the backlog and the
    // pump sends all of it, well before the next tick a minute later.
    const started = Date.now();
    server = await startNodeServer(env, server.port);
    await until("every message delivered", () => uuids.every((u) => receiver!.received.has(u.toLowerCase())), 20_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect([...receiver.received.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect(receiver.received.size).toBe(uuids.length);
    for (const uuid of uuids.slice(0, 5)) expect((await call("GET", `/v1/messages/${uuid}`, admin)).json.state).toBe("delivered");
  }, 90_000);
});
