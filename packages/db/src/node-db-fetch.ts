import { Agent, request, type IncomingHttpHeaders } from "node:http";
import { Agent as TlsAgent, request as tlsRequest } from "node:https";

/**
 * A fetch for the libSQL HTTP client on Node (sqld, Turso) over node:http with keep-alive
 * connections: the Hrana request's bytes go out as one buffer with its headers, and the answer
 * comes back whole as a plain Response. Node's own fetch streams each request body through web
 * streams (a socket write per chunk) and builds its answer through them too, which on a remote
 * database cost more CPU per message than the statements' encoding. Answers are asked for
 * uncompressed (`accept-encoding: identity`): inflating 17 KB bodies on the event loop costs more
 * than the bytes saved on a local network. A request that gets no whole answer within `ms`
 * fails with a `TimeoutError`, as `timedFetch`'s do, instead of holding its caller forever.
 */
export function nodeDbFetch(ms: number): typeof fetch {
  const agents = { http: new Agent({ keepAlive: true }), https: new TlsAgent({ keepAlive: true }) };
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : new Uint8Array(await req.arrayBuffer());
    const headers: Record<string, string> = { "accept-encoding": "identity" };
    for (const [name, value] of req.headers) headers[name] = value;
    if (body) headers["content-length"] = String(body.byteLength);
    const answer = await exchange(new URL(req.url), { method: req.method, headers, body, ms, agents });
    const noBody = answer.status === 204 || answer.status === 205 || answer.status === 304;
    return new Response(noBody ? null : (answer.body as Uint8Array<ArrayBuffer>), {
      status: answer.status,
      headers: toHeaders(answer.headers),
    });
  }) as typeof fetch;
}

type Exchange = {
  method: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  ms: number;
  agents: { http: Agent; https: TlsAgent };
};

/** One request and its whole answer, or a TimeoutError after `ms`, or the socket's error. */
function exchange(url: URL, o: Exchange): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const tls = url.protocol === "https:";
    const send = tls ? tlsRequest : request;
    const out = send(url, { method: o.method, headers: o.headers, agent: tls ? o.agents.https : o.agents.http }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 502, headers: res.headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
      });
      res.on("error", fail);
    });
    const timer = setTimeout(() => out.destroy(new DOMException(`the database did not answer within ${o.ms} ms`, "TimeoutError")), o.ms);
    function fail(e: unknown) {
      clearTimeout(timer);
      reject(e);
    }
    out.on("error", fail);
    out.end(o.body);
  });
}

function toHeaders(from: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(from)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  return headers;
}
