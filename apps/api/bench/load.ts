import { connect, type Socket } from "node:net";
import { percentile } from "./support.ts";

/**
 * Sends every body once as POST to `url` over `connections` keep-alive sockets, one request in
 * flight per socket; returns the rate, the latency percentiles and the status counts.
 *
 * A lean HTTP/1.1 client on raw sockets (requests encoded up front, responses read by their
 * Content-Length or chunked framing), so the load generator spends little of the machine's CPU
 * that the server under test needs; latency runs from the first byte written to the last read.
 */
export async function load(url: string, headers: Record<string, string>, bodies: string[], connections: number) {
  const { hostname, port, pathname, search } = new URL(url);
  const head = Object.entries({ host: `${hostname}:${port}`, connection: "keep-alive", ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  const requests = bodies.map((b) => {
    const body = Buffer.from(b);
    return Buffer.concat([Buffer.from(`POST ${pathname}${search} HTTP/1.1\r\n${head}content-length: ${body.length}\r\n\r\n`), body]);
  });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(connections, requests.length) }, async () => {
      const conn = await open(hostname, Number(port));
      try {
        while (next < requests.length) {
          const request = requests[next++]!;
          const t0 = performance.now();
          const status = await conn.exchange(request);
          latencies.push(performance.now() - t0);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      } finally {
        conn.socket.destroy();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: requests.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    p999: percentile(latencies, 99.9),
    max: Math.max(...latencies),
    statuses: Object.fromEntries(statuses),
  };
}

type Connection = { socket: Socket; exchange(request: Buffer): Promise<number> };

function open(host: string, port: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    let buffered: Buffer = Buffer.alloc(0);
    let waiting: { resolve: (status: number) => void; reject: (e: Error) => void } | null = null;
    const fail = (e: Error) => {
      waiting?.reject(e);
      waiting = null;
    };
    socket.on("data", (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const done = responseLength(buffered);
      if (done === null || !waiting) return;
      const status = Number(buffered.toString("latin1", 9, 12));
      buffered = buffered.subarray(done);
      const w = waiting;
      waiting = null;
      w.resolve(status);
    });
    socket.on("error", (e) => (waiting ? fail(e) : reject(e)));
    socket.on("close", () => fail(new Error("the server closed the connection")));
    socket.once("connect", () =>
      resolve({
        socket,
        exchange: (request) =>
          new Promise<number>((res, rej) => {
            waiting = { resolve: res, reject: rej };
            socket.write(request);
          }),
      }),
    );
  });
}

/** The length of the complete response at the start of `buf`, or null while it is still arriving. */
function responseLength(buf: Buffer): number | null {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const head = buf.toString("latin1", 0, end).toLowerCase();
  const bodyStart = end + 4;
  const length = /\r\ncontent-length:\s*(\d+)/.exec(head);
  if (length) return buf.length >= bodyStart + Number(length[1]) ? bodyStart + Number(length[1]) : null;
  if (!/\r\ntransfer-encoding:\s*chunked/.test(head)) return bodyStart;
  let at = bodyStart;
  for (;;) {
    const lineEnd = buf.indexOf("\r\n", at);
    if (lineEnd < 0) return null;
    const size = parseInt(buf.toString("latin1", at, lineEnd), 16);
    at = lineEnd + 2 + size + 2;
    if (at > buf.length) return null;
    if (size === 0) return at;
  }
}
