import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback recipient system for the demo: accepts pushes per system path, switchable up/down. */
export type DemoReceiver = {
  url(systemKey: string): string;
  setUp(systemKey: string, up: boolean): void;
  isUp(systemKey: string): boolean;
  received(systemKey: string): number;
  close(): Promise<void>;
};

/** Starts the demo receiver on 127.0.0.1 (a free port unless given). */
export async function startDemoReceiver(port = 0): Promise<DemoReceiver> {
  const down = new Set<string>();
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const key = decodeURIComponent((req.url ?? "/").split("/")[2] ?? "");
    req.resume();
    req.on("end", () => {
      if (req.method !== "POST" || !key) return void res.writeHead(404).end();
      if (down.has(key)) return void res.writeHead(503, { "content-type": "text/plain" }).end("demo system is down");
      counts.set(key, (counts.get(key) ?? 0) + 1);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: (k) => `http://127.0.0.1:${actual}/systems/${encodeURIComponent(k)}`,
    setUp: (k, up) => void (up ? down.delete(k) : down.add(k)),
    isUp: (k) => !down.has(k),
    received: (k) => counts.get(k) ?? 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
