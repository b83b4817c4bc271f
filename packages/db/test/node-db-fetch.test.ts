import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openNodeDatabase } from "../src/client-node.ts";
import { isConstraintViolation } from "../src/constraint-error.ts";
import { nodeDbFetch } from "../src/node-db-fetch.ts";
import { freePort, startSqld, type Sqld } from "./sqld.ts";

let server: Server;
let base: string;
const seen: { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer; socket: number }[] = [];
const sockets = new WeakMap<object, number>();
let nextSocket = 0;
beforeAll(async () => {
  const port = await freePort();
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!sockets.has(req.socket)) sockets.set(req.socket, nextSocket++);
    seen.push({ method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks), socket: sockets.get(req.socket)! });
    if (req.url === "/stall") return; // never answers
    if (req.url === "/empty") return void res.writeHead(204).end();
    res
      .writeHead(201, { "x-answer": "yes", "content-type": "application/x-protobuf" })
      .end(Buffer.concat([Buffer.from("got "), ...chunks]));
  });
  await new Promise<void>((ok) => server.listen(port, "127.0.0.1", ok));
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});

/** A request as the Hrana client builds it: a Request with its own headers and body. */
const hranaRequest = (path: string, body: Uint8Array<ArrayBuffer> | string) =>
  new Request(base + path, { method: "POST", headers: { "content-type": "application/x-protobuf", authorization: "Bearer t" }, body });

describe("nodeDbFetch", () => {
  it("sends the request's bytes and headers, asks for an uncompressed answer, and answers with status, headers and body", async () => {
    seen.length = 0;
    const bytes = new Uint8Array(17_000).map((_, i) => (i * 31) % 256);
    const res = await nodeDbFetch(5_000)(hranaRequest("/v3-protobuf/pipeline", bytes));
    expect(res.status).toBe(201);
    expect(res.headers.get("x-answer")).toBe("yes");
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.concat([Buffer.from("got "), Buffer.from(bytes)]))).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", path: "/v3-protobuf/pipeline" });
    expect(seen[0]!.headers).toMatchObject({
      "accept-encoding": "identity",
      "content-type": "application/x-protobuf",
      authorization: "Bearer t",
    });
    expect(seen[0]!.headers["content-length"]).toBe("17000");
    expect(seen[0]!.body.equals(Buffer.from(bytes))).toBe(true);
  });

  it("takes a URL and init like fetch (the client's probe), and an answer without a body", async () => {
    seen.length = 0;
    const f = nodeDbFetch(5_000);
    const res = await f(`${base}/empty`, { method: "GET" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(seen[0]).toMatchObject({ method: "GET", path: "/empty" });
  });

  it("keeps its connection alive from one request to the next", async () => {
    seen.length = 0;
    const f = nodeDbFetch(5_000);
    for (const n of [1, 2, 3]) expect(await (await f(hranaRequest("/v3-protobuf/pipeline", `n${n}`))).text()).toBe(`got n${n}`);
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it("fails a request with no answer within its deadline with a TimeoutError", async () => {
    const t0 = Date.now();
    const err = await nodeDbFetch(200)(hranaRequest("/stall", "x")).catch((e: unknown) => e);
    expect((err as Error).name).toBe("TimeoutError");
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it("fails a request to a port nothing listens on with the socket's error", async () => {
    const err = await nodeDbFetch(5_000)(`http://127.0.0.1:${await freePort()}/`, { method: "GET" }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("ECONNREFUSED");
  });
});

describe("openNodeDatabase on sqld (through nodeDbFetch)", () => {
  let sqld: Sqld;
  beforeAll(async () => {
    sqld = await startSqld();
  });
  afterAll(async () => {
    await sqld?.stop();
  });

  it("keeps a 17 KB blob byte for byte and reports a constraint violation as one", async () => {
    const db = await openNodeDatabase(sqld.url);
    await sql`CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)`.execute(db);
    const body = new Uint8Array(17_000).map((_, i) => (i * 7) % 256);
    await sql`INSERT INTO blobs VALUES (1, ${body})`.execute(db);
    const { rows } = await sql<{ body: ArrayBuffer }>`SELECT body FROM blobs WHERE id = 1`.execute(db);
    expect(Buffer.from(rows[0]!.body).equals(Buffer.from(body))).toBe(true);
    const again = await sql`INSERT INTO blobs VALUES (1, ${body})`.execute(db).catch((e: unknown) => e);
    expect(isConstraintViolation(again)).toBe(true);
    await db.destroy();
  });
});
