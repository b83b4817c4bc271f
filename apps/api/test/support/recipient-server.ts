import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

/** How a path answers: a status, or a function deciding per request. */
export type Behaviour = number | ((req: { uuid: string; attempt: number }, res: ServerResponse) => void | "handled");

type Hit = { path: string; uuid: string; attempt: number; status: number; at: number };

/** What the server saw, in the order it saw it: a request answered, or one the sender gave up on unanswered. */
type Seen = { kind: "answered" | "abandoned"; path: string; uuid: string };

/**
 * A real recipient system on 127.0.0.1: each path has its own secret and behaviour, every request's
 * Standard Webhooks signature is verified (at the real clock), and every hit is recorded.
 */
export async function startRecipientServer() {
  const secrets = new Map<string, string>();
  const behaviour = new Map<string, Behaviour>();
  const hits: Hit[] = [];
  const seen: Seen[] = [];
  const badSignatures: string[] = [];
  /** The bytes of every request whose signature verified, in order. */
  const bodies: { path: string; uuid: string; body: Uint8Array }[] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = new Uint8Array(Buffer.concat(chunks));
    const path = req.url ?? "/";
    const secret = secrets.get(path);
    const uuid = String(req.headers["webhook-id"] ?? "");
    const attempt = Number(req.headers["postvej-attempt"] ?? 0);
    if (!secret) return void res.writeHead(404).end();
    // Verified as a vendor's receiver would: the Standard Webhooks library at this machine's real
    // clock (a timestamp more than 5 minutes off is refused), whatever clock postvej's domain runs on.
    // (The library hands back the payload parsed as JSON; a MeMo is XML, so only its own error counts.)
    let verified = true;
    try {
      new Webhook(secret).verify(Buffer.from(body), req.headers as Record<string, string>);
    } catch (e) {
      if (e instanceof WebhookVerificationError) verified = false;
    }
    if (!verified) {
      badSignatures.push(uuid);
      return void res.writeHead(401).end();
    }
    bodies.push({ path, uuid, body });
    const b = behaviour.get(path) ?? 204;
    if (typeof b === "number") {
      hits.push({ path, uuid, attempt, status: b, at: Date.now() });
      seen.push({ kind: "answered", path, uuid });
      return void res.writeHead(b).end();
    }
    const r = b({ uuid, attempt }, res);
    hits.push({ path, uuid, attempt, status: res.statusCode, at: Date.now() });
    if (r !== "handled" && !res.writableEnded) res.end();
    if (res.writableEnded) seen.push({ kind: "answered", path, uuid });
    // Left unanswered: the sender's timeout (or its going away) closes the connection.
    else res.on("close", () => void (res.writableEnded || seen.push({ kind: "abandoned", path, uuid })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    register: (path: string, secret: string, b: Behaviour = 204) => void (secrets.set(path, secret), behaviour.set(path, b)),
    set: (path: string, b: Behaviour) => void behaviour.set(path, b),
    hits,
    seen,
    badSignatures,
    bodies,
    delivered: (path: string) => new Set(hits.filter((h) => h.path === path && h.status < 300).map((h) => h.uuid)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
