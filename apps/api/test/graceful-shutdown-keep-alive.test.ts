import { mkdtempSync } from "node:fs";
import http from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";
import { callServer, seedPushAuthority, startNodeServer, stopNodeServer, type NodeServer } from "./support/node-server.ts";

const OPERATOR = "op_graceful_keep_alive_test_0123";
const CVR = "29189846";

/** One HTTP/1.1 connection by hand: requests written when asked, answers read by their Content-Length. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, "127.0.0.1");
  let buffered = Buffer.alloc(0);
  let ended = false;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  socket.on("data", (d: Buffer) => ((buffered = Buffer.concat([buffered, d])), wake()));
  socket.on("end", () => ((ended = true), wake()));
  socket.on("error", () => ((ended = true), wake()));
  const answer = async (): Promise<{ status: number; headers: Record<string, string> }> => {
    for (;;) {
      const head = buffered.indexOf("\r\n\r\n");
      if (head >= 0) {
        const lines = buffered.subarray(0, head).toString("latin1").split("\r\n");
        const headers = Object.fromEntries(
          lines.slice(1).map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
        );
        const length = Number(headers["content-length"] ?? 0);
        if (buffered.length >= head + 4 + length) {
          buffered = buffered.subarray(head + 4 + length);
          return { status: Number(lines[0]!.split(" ")[1]), headers };
        }
      }
      if (ended) throw new Error(`the connection ended without an answer (${socket.errored?.message ?? "closed"})`);
      await new Promise<void>((w) => waiters.push(w));
    }
  };
  return {
    write: (bytes: string | Buffer) => socket.write(bytes),
    answer,
    /** Settles when the server has closed the connection. */
    closed: () => new Promise<void>((ok) => (ended ? ok() : socket.once("close", () => ok()))),
    destroy: () => socket.destroy(),
  };
}

const intakeHead = (sender: string, length: number) =>
  `POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${sender}\r\ncontent-type: application/xml\r\ncontent-length: ${length}\r\n\r\n`;

describe("SIGTERM with keep-alive intake clients", () => {
  let server: NodeServer | undefined;
  afterEach(() => stopNodeServer(server));

  const start = async () => {
    const dir = mkdtempSync(join(tmpdir(), "postvej-keep-alive-"));
    // No recipient system answers: the test is about intake's connections, not about pushes.
    const env = { LIBSQL_URL: `file:${dir}/k.db`, POSTVEJ_OPERATOR_TOKEN: OPERATOR, POSTVEJ_MAIL_URL: `file:${dir}/mail` };
    server = await startNodeServer(env);
    const { admin, sender } = await seedPushAuthority(server.base, OPERATOR, CVR, "http://127.0.0.1:9/inbox");
    return { env, admin, sender };
  };

  it("answers a request arriving on a connection idle at the signal, and one in flight, each with Connection: close", async () => {
    const { env, admin, sender } = await start();
    const idle = rawConnection(server!.port);
    const first = memoFor(CVR);
    idle.write(intakeHead(sender, Buffer.byteLength(first.xml)) + first.xml);
    expect((await idle.answer()).status).toBe(202);
    // A second request whose body is on its way while the signal comes.
    const slow = rawConnection(server!.port);
    const inFlight = Buffer.from(memoFor(CVR).xml);
    slow.write(intakeHead(sender, inFlight.length));
    slow.write(inFlight.subarray(0, 100));
    await new Promise((r) => setTimeout(r, 200));

    const exited = new Promise<number | null>((ok) => server!.child.once("exit", (code) => ok(code)));
    server!.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    // The idle connection's client did not know of the signal: its next request is answered, not reset.
    const late = memoFor(CVR);
    idle.write(intakeHead(sender, Buffer.byteLength(late.xml)) + late.xml);
    const lateAnswer = await idle.answer();
    expect(lateAnswer.status).toBe(202);
    expect(lateAnswer.headers.connection).toBe("close");
    await idle.closed();
    slow.write(inFlight.subarray(100));
    const slowAnswer = await slow.answer();
    expect(slowAnswer.status).toBe(202);
    expect(slowAnswer.headers.connection).toBe("close");
    await slow.closed();
    expect(await exited).toBe(0);

    server = await startNodeServer(env, server!.port);
    expect((await callServer(server.base, "GET", `/v1/messages/${late.uuid}`, admin)).status).toBe(200);
  }, 60_000);

  it("resets no request of keep-alive clients under load: each is answered, or refused on a fresh connection once the port is closed", async () => {
    const { env, admin, sender } = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const outcomes = new Map<string, number>();
    const accepted: string[] = [];
    const post = (xml: string) =>
      new Promise<string>((ok) => {
        let reused = false;
        const req = http.request(
          {
            port: server!.port,
            host: "127.0.0.1",
            path: "/v1/messages",
            method: "POST",
            agent,
            headers: { authorization: `Bearer ${sender}`, "content-type": "application/xml" },
          },
          (res) => res.resume().on("end", () => ok(String(res.statusCode))),
        );
        req.on("socket", (s: Socket & { used?: boolean }) => ((reused = s.used === true), (s.used = true)));
        req.on("error", (e: NodeJS.ErrnoException) => ok(`${e.code ?? e.message} on a ${reused ? "kept-alive" : "fresh"} connection`));
        req.end(xml);
      });
    let sent = 0;
    let refused = false;
    const client = async () => {
      while (!refused) {
        if (++sent === 400) server!.child.kill("SIGTERM");
        const m = memoFor(CVR);
        const outcome = await post(m.xml);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (outcome === "202") accepted.push(m.uuid);
        if (outcome.startsWith("ECONNREFUSED")) refused = true;
      }
    };
    const exited = new Promise<number | null>((ok) => server!.child.once("exit", (code) => ok(code)));
    await Promise.all(Array.from({ length: 16 }, client));
    agent.destroy();
    expect(await exited).toBe(0);
    // Only answers and clean refusals of fresh connections: no ECONNRESET, no hang-up.
    expect([...outcomes.keys()].filter((o) => o !== "202" && o !== "ECONNREFUSED on a fresh connection")).toEqual([]);
    expect(accepted.length).toBeGreaterThanOrEqual(400 - 16);

    server = await startNodeServer(env, server!.port);
    for (const uuid of accepted.slice(-20)) expect((await callServer(server.base, "GET", `/v1/messages/${uuid}`, admin)).status).toBe(200);
  }, 90_000);
});
