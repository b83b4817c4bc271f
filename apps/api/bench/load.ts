import { Agent, request } from "node:http";
import { percentile } from "./support.ts";

/**
 * Sends every body once as POST to `url` over `connections` keep-alive sockets; returns the rate,
 * the latency percentiles and the status counts. Bounded: one request per body.
 */
export async function load(url: string, headers: Record<string, string>, bodies: string[], connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t0 = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(url, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end(body);
      });
      latencies.push(performance.now() - t0);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { perSecond: bodies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses: Object.fromEntries(statuses) };
}
