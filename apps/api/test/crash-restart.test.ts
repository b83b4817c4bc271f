import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";
import { callServer, seedPushAuthority, startNodeServer, stopNodeServer, until, type NodeServer } from "./support/node-server.ts";

const OPERATOR = "op_crash_restart_test_0123456789";
const CVR = "29189846";
const LEASE_MS = 2_000;

/**
 * A receiver that takes 100 ms per push and counts each message's pushes and when they were
 * answered. It holds every push until `open()`, so the post piles up and goes out in one big run.
 */
async function slowReceiver() {
  const received = new Map<string, number>();
  const answeredAt: number[] = [];
  let inFlight = 0;
  let open!: () => void;
  const gate = new Promise<void>((ok) => (open = ok));
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    for await (const _ of req) void _;
    const id = String(req.headers["webhook-id"]);
    inFlight++;
    await gate;
    setTimeout(() => {
      inFlight--;
      received.set(id, (received.get(id) ?? 0) + 1);
      answeredAt.push(Date.now());
      res.writeHead(204).end();
    }, 100);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`,
    received,
    answeredAt,
    open,
    get inFlight() {
      return inFlight;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

describe("kill -9 in the middle of deliveries", () => {
  let server: NodeServer | undefined;
  let receiver: Awaited<ReturnType<typeof slowReceiver>> | undefined;
  afterAll(async () => {
    await stopNodeServer(server);
    await receiver?.close();
  });

  it("after a restart only the pushes then in flight repeat; nothing is lost", async () => {
    receiver = await slowReceiver();
    const dbFile = join(mkdtempSync(join(tmpdir(), "postvej-crash-")), "c.db");
    const env = {
      LIBSQL_URL: `file:${dbFile}`,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_MAIL_URL: `file:${join(dbFile, "..", "mail")}`,
      POSTVEJ_CLAIM_LEASE_MS: String(LEASE_MS),
    };
    server = await startNodeServer(env);
    const call = (method: string, path: string, token: string, body?: string, type?: string) =>
      callServer(server!.base, method, path, token, body, type);
    const { admin, sender, systemId } = await seedPushAuthority(server.base, OPERATOR, CVR, receiver.url);
    const cp = (
      await call(
        "POST",
        `/v1/authorities/${CVR}/contact-points`,
        admin,
        JSON.stringify({ name: "CP", recipientSystemId: systemId, visible: true, audiences: ["authorities"] }),
      )
    ).json.id as string;

    const uuids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const m = memoFor(CVR, { contactPointId: cp });
      expect((await call("POST", "/v1/messages", sender, m.xml, "application/xml")).status).toBe(202);
      uuids.push(m.uuid);
    }
    receiver.open();
    // Kill the server while it is pushing, well after the first outcomes were written.
    await until("20 acknowledged pushes", () => receiver!.received.size >= 20);
    const killedAt = Date.now();
    const inFlightAtKill = receiver.inFlight;
    await stopNodeServer(server);
    const acknowledgedBeforeKill = receiver.received.size;
    // Outcomes are written within ~50 ms: what was answered in the last moment may not have been.
    const answeredJustBefore = receiver.answeredAt.filter((at) => at > killedAt - 150).length;
    // The pushes that were in flight may still be answered (the receiver does not know postvej died).
    await until("pushes in flight to finish", () => receiver!.inFlight === 0);

    server = await startNodeServer(env, server.port);
    // Claims of the killed run lapse after their lease; a fresh message starts a run that takes them.
    await new Promise((r) => setTimeout(r, LEASE_MS + 200));
    const last = memoFor(CVR, { contactPointId: cp });
    expect((await call("POST", "/v1/messages", sender, last.xml, "application/xml")).status).toBe(202);
    uuids.push(last.uuid);
    await until("every message delivered", () => uuids.every((u) => receiver!.received.has(u)));

    const repeated = [...receiver.received.values()].filter((n) => n > 1).length;
    expect(acknowledgedBeforeKill).toBeGreaterThanOrEqual(20);
    expect(receiver.received.size).toBe(61);
    expect(repeated).toBeLessThanOrEqual(inFlightAtKill + answeredJustBefore);
    expect(repeated).toBeLessThan(acknowledgedBeforeKill);
    for (const uuid of uuids) {
      const m = await call("GET", `/v1/messages/${uuid}`, admin);
      expect(m.json.state).toBe("delivered");
    }
  }, 90_000);
});
