import { request, type Dispatcher } from "undici";

// The ports the fetch standard blocks ("bad ports"): a push to one goes through fetch itself,
// which refuses it without a request (`blocked_port`), exactly as on Workers.
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The most of an answer's body kept (the push client reads at most 64 KiB of it); the rest is not read. */
const KEEP_BYTES = 64 * 1024 + 1;

/**
 * A fetch for pushes on Node over undici's `request` (a fraction of fetch's CPU per push: no
 * Request, no web streams). It does what pushMessage asks of fetch: a POST that never follows a
 * redirect, aborted by `init.signal`, answered with the status, the headers and the first 64 KiB
 * of the body (a longer body is cut there and its connection closed). Errors keep undici's codes
 * (ECONNREFUSED, UND_ERR_SOCKET, …), which the push client classifies as it does fetch's causes.
 * URLs fetch treats specially (a bad port, a scheme other than http(s)) go to `fallback`.
 */
export function leanPushFetch(o: { dispatcher?: Dispatcher; fallback?: typeof fetch } = {}): typeof fetch {
  const fallback = o.fallback ?? fetch;
  // Every push to a system goes to the same few endpoints: each is parsed once (a bounded map).
  const urls = new Map<string, URL>();
  const parse = (href: string) => {
    let url = urls.get(href);
    if (!url) {
      url = new URL(href);
      if (urls.size >= 1000) urls.clear();
      urls.set(href, url);
    }
    return url;
  };
  return (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = parse(input instanceof Request ? input.url : input instanceof URL ? input.href : String(input));
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    if ((url.protocol !== "http:" && url.protocol !== "https:") || BAD_PORTS.has(port) || url.username || url.password) {
      return fallback(input, init);
    }
    const answer = await request(url, {
      method: (init.method ?? "GET") as Dispatcher.HttpMethod,
      headers: isRecord(init.headers) ? init.headers : Object.fromEntries(new Headers(init.headers)),
      body: init.body as Uint8Array | undefined,
      signal: init.signal ?? undefined,
      ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
    });
    const kept = await firstBytes(answer.body);
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
    }
    // No bytes is no body (fetch gives an empty stream there; readers of the push client treat both alike).
    const noBody = answer.statusCode === 204 || answer.statusCode === 205 || answer.statusCode === 304 || kept.byteLength === 0;
    return new Response(noBody ? null : kept, { status: answer.statusCode, headers });
  }) as typeof fetch;
}

/** Headers given as a plain record of strings (what the push client sends), which undici takes as they are. */
function isRecord(h: HeadersInit | undefined): h is Record<string, string> {
  return h !== undefined && !Array.isArray(h) && !(h instanceof Headers) && Object.values(h).every((v) => typeof v === "string");
}

/**
 * Up to KEEP_BYTES of a body; then it is destroyed (the connection closes). A body that breaks off
 * gives what came. Read by its events: an async iterator costs more per push than the bytes.
 */
function firstBytes(body: Dispatcher.ResponseData["body"]): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // The status is what counts; a body cut by the timeout or a reset gives what came (the error
    // listener stays: an error after the end is heard and changes nothing).
    const done = () => {
      if (settled) return;
      settled = true;
      resolve(joined(chunks, size));
    };
    body.on("data", (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size < KEEP_BYTES) return;
      done();
      body.destroy();
    });
    body.on("end", done);
    body.on("error", done);
    body.on("close", done);
  });
}

/** The first KEEP_BYTES of `chunks` in one array. */
function joined(chunks: Buffer[], size: number): Uint8Array<ArrayBuffer> {
  const all = new Uint8Array(Math.min(size, KEEP_BYTES));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, all.length - at);
    all.set(part, at);
    at += part.length;
    if (at >= all.length) break;
  }
  return all;
}
