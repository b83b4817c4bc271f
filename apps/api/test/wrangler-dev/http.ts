// Real HTTP from the test process into wrangler dev: node:http, every request bounded in time.
import { Agent, request } from "node:http";

export type Answer = {
  /** The HTTP status, or 0 when the request failed or ran out of time (see `error`). */
  status: number;
  contentType: string;
  text: string;
  json: any;
  error?: string;
};

export type Send = {
  method: string;
  token?: string;
  body?: string | object;
  contentType?: string;
  /** Send the body without Content-Length, chunked, in two writes with a pause between. */
  chunked?: boolean;
  timeoutMs?: number;
};

/**
 * One connection per request: a kept-alive socket the server closes just as it is reused would
 * show up as a failed request that the Worker never saw.
 */
export const agent = new Agent({ keepAlive: false, maxSockets: 32 });

/** One request; never throws for a network failure or timeout (status 0 instead). */
export function send(base: string, path: string, opts: Send): Promise<Answer> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: Buffer | undefined;
  if (typeof opts.body === "string") payload = Buffer.from(opts.body, "utf8");
  else if (opts.body !== undefined) payload = Buffer.from(JSON.stringify(opts.body), "utf8");
  if (payload) {
    headers["content-type"] = opts.contentType ?? (typeof opts.body === "string" ? "application/xml" : "application/json");
    if (opts.chunked) headers["transfer-encoding"] = "chunked";
    else headers["content-length"] = String(payload.byteLength);
  }
  return new Promise<Answer>((resolve) => {
    let settled = false;
    const done = (a: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req = request(`${base}${path}`, { method: opts.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (err) => done({ status: 0, contentType: "", text: "", json: undefined, error: String(err) }));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        done({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), text, json });
      });
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
      done({ status: 0, contentType: "", text: "", json: undefined, error: `timeout after ${timeoutMs} ms` });
    }, timeoutMs);
    req.on("error", (err) => done({ status: 0, contentType: "", text: "", json: undefined, error: err.message }));
    if (!payload) return void req.end();
    if (!opts.chunked) return void req.end(payload);
    const half = Math.floor(payload.byteLength / 2);
    req.write(payload.subarray(0, half));
    setTimeout(() => req.end(payload.subarray(half)), 5);
  });
}

/** `send`, failing unless the status is `status`; returns the JSON body. */
export async function must(status: number, base: string, path: string, opts: Send): Promise<any> {
  const a = await send(base, path, opts);
  if (a.status !== status)
    throw new Error(`${opts.method} ${path}: expected ${status}, got ${a.status || a.error}: ${a.text.slice(0, 500)}`);
  return a.json;
}
