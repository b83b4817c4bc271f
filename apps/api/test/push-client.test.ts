import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { newSigningSecret } from "@postvej/core/delivery";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { pushMessage as push, type PushInput } from "../src/delivery/push-client.ts";
import { leanPushFetch } from "../src/node/push-transport.ts";

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A real HTTP server on 127.0.0.1; `handle` answers after the whole body has arrived. */
async function startServer(handle: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handle(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  servers.push({ close });
  return { url: `http://127.0.0.1:${port}/inbox`, port, received, close };
}

const memo = new TextEncoder().encode(
  `<?xml version="1.0" encoding="UTF-8"?><memo:Message xmlns:memo="https://DigitalPost.dk/MeMo-1">Kære borger – æøå</memo:Message>`,
);
const secret = newSigningSecret();
const now = new Date("2026-11-27T10:00:00Z");

function input(endpoint: string, over: Partial<PushInput> = {}): PushInput {
  return {
    endpoint,
    signingSecret: secret,
    messageUuid: "8c2ea15d-61fb-4ba9-9366-42f8b194c114",
    contactPointId: "0d6b1f0e-5c5a-4a53-9d0b-6b1f0e5c5a4a",
    attempt: 3,
    body: memo,
    timeoutMs: 2000,
    signedAt: now,
    ...over,
  };
}

// Every case through fetch itself (Workers, tests) and through the Node server's lean transport.
describe.each([
  ["fetch", undefined],
  ["the Node transport", leanPushFetch()],
] as const)("pushMessage through %s", (_name, transport) => {
  const pushMessage = (i: PushInput) => push(transport ? { fetch: transport, ...i } : i);
  it("POSTs the bytes with the agreed headers and counts a 200 as delivered", async () => {
    const server = await startServer((_req, res) => res.writeHead(200).end("ok"));
    const outcome = await pushMessage(input(server.url));
    expect(outcome).toMatchObject({ outcome: "delivered", statusCode: 200, error: null, retryAfterMs: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    const [req] = server.received;
    expect(req?.method).toBe("POST");
    expect(req?.body.equals(Buffer.from(memo))).toBe(true);
    expect(req?.headers).toMatchObject({
      "content-type": "application/xml",
      "webhook-id": "8c2ea15d-61fb-4ba9-9366-42f8b194c114",
      "webhook-timestamp": String(now.getTime() / 1000),
      "postvej-contact-point-id": "0d6b1f0e-5c5a-4a53-9d0b-6b1f0e5c5a4a",
      "postvej-attempt": "3",
    });
    expect(req?.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it("omits postvej-contact-point-id when there is none", async () => {
    const server = await startServer((_req, res) => res.writeHead(204).end());
    const outcome = await pushMessage(input(server.url, { contactPointId: null, attempt: 1 }));
    expect(outcome.outcome).toBe("delivered");
    expect(outcome.statusCode).toBe(204);
    expect(server.received[0]?.headers).not.toHaveProperty("postvej-contact-point-id");
    expect(server.received[0]?.headers["postvej-attempt"]).toBe("1");
  });

  it("is verified by a receiver using the standardwebhooks package", async () => {
    const verdicts: string[] = [];
    const server = await startServer((req, res, body) => {
      try {
        new Webhook(secret).verify(body.toString("utf8"), req.headers as Record<string, string>, { jsonParse: false });
        verdicts.push("valid");
        res.writeHead(200).end();
      } catch (e) {
        verdicts.push(String(e));
        res.writeHead(401).end();
      }
    });
    // The package checks the timestamp against the real clock, so sign with it here.
    const ok = await pushMessage(input(server.url, { signedAt: new Date() }));
    const wrongSecret = await pushMessage(input(server.url, { signedAt: new Date(), signingSecret: newSigningSecret() }));
    expect(ok.outcome).toBe("delivered");
    expect(wrongSecret).toMatchObject({ outcome: "failed", statusCode: 401, error: "http_401" });
    expect(verdicts[0]).toBe("valid");
    expect(verdicts[1]).toMatch(/No matching signature/);
  });

  it("counts a 500 as failed without a Retry-After", async () => {
    const server = await startServer((_req, res) => res.writeHead(500, { "retry-after": "60" }).end("boom"));
    expect(await pushMessage(input(server.url))).toMatchObject({
      outcome: "failed",
      statusCode: 500,
      error: "http_500",
      retryAfterMs: null,
    });
  });

  it("honours Retry-After in seconds on a 429", async () => {
    const server = await startServer((_req, res) => res.writeHead(429, { "retry-after": "120" }).end());
    expect(await pushMessage(input(server.url))).toMatchObject({
      outcome: "failed",
      statusCode: 429,
      error: "http_429",
      retryAfterMs: 120_000,
    });
  });

  it("honours Retry-After as an HTTP-date on a 429, relative to the injected clock", async () => {
    const at = new Date(now.getTime() + 300_000).toUTCString();
    const server = await startServer((_req, res) => res.writeHead(429, { "retry-after": at }).end());
    expect((await pushMessage(input(server.url))).retryAfterMs).toBe(300_000);
  });

  it("clamps a 503's Retry-After to an hour and tolerates its absence", async () => {
    let header: string | undefined = "86400";
    const server = await startServer((_req, res) => res.writeHead(503, header ? { "retry-after": header } : {}).end());
    expect(await pushMessage(input(server.url))).toMatchObject({ statusCode: 503, retryAfterMs: 3_600_000 });
    header = undefined;
    expect(await pushMessage(input(server.url))).toMatchObject({ statusCode: 503, retryAfterMs: null });
  });

  it("does not follow a redirect and says so", async () => {
    const server = await startServer((req, res) => {
      if (req.url === "/inbox") res.writeHead(307, { location: "/elsewhere" }).end();
      else res.writeHead(200).end();
    });
    expect(await pushMessage(input(server.url))).toMatchObject({
      outcome: "failed",
      statusCode: 307,
      error: "redirect_not_followed",
    });
    expect(server.received.map((r) => r.url)).toEqual(["/inbox"]);
  });

  it("gives up after timeoutMs when the server never answers", async () => {
    const server = await startServer(() => {
      /* never answer */
    });
    const outcome = await pushMessage(input(server.url, { timeoutMs: 150 }));
    expect(outcome).toMatchObject({ outcome: "failed", statusCode: null, error: "timeout", retryAfterMs: null });
    expect(outcome.durationMs).toBeGreaterThan(0);
    expect(server.received).toHaveLength(1);
  });

  it("reports a connection reset", async () => {
    const server = await startServer((req) => req.socket.destroy());
    expect(await pushMessage(input(server.url))).toMatchObject({
      outcome: "failed",
      statusCode: null,
      error: "connection_reset",
    });
  });

  it("reports a refused connection", async () => {
    const server = await startServer(() => {});
    await server.close();
    expect(await pushMessage(input(`http://127.0.0.1:${server.port}/inbox`))).toMatchObject({
      outcome: "failed",
      statusCode: null,
      error: "connection_refused",
    });
  });

  it("names a port the fetch standard blocks instead of calling it a network error", async () => {
    expect(await pushMessage(input("http://127.0.0.1:6000/inbox"))).toMatchObject({
      outcome: "failed",
      statusCode: null,
      error: "blocked_port",
    });
  });

  it("still counts a 200 whose body never ends as delivered, once the timeout cuts the body", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial");
    });
    expect(await pushMessage(input(server.url, { timeoutMs: 150 }))).toMatchObject({
      outcome: "delivered",
      statusCode: 200,
    });
  });

  it("uses an injected fetch as a plain function", async () => {
    const seen: string[] = [];
    const server = await startServer((_req, res) => res.writeHead(202).end());
    const outcome = await pushMessage(
      input(server.url, {
        fetch: (url, init) => {
          seen.push(String(url));
          return fetch(url, init);
        },
      }),
    );
    expect(outcome.statusCode).toBe(202);
    expect(seen).toEqual([server.url]);
  });
});
