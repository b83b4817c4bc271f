import { createServer, connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy on loopback in front of `target` that can stall: while stalled it takes
 * connections and bytes but forwards nothing and answers nothing, as a half-open connection or
 * a wedged server would. `flow()` drops what stalled and lets traffic through again.
 */
export async function startStallProxy(target: { host: string; port: number }) {
  let stalled = false;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    const upstream = connect(target.port, target.host);
    open.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("data", (d) => void (stalled ? undefined : upstream.write(d)));
    upstream.on("data", (d) => void (stalled ? undefined : client.write(d)));
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stall: () => void (stalled = true),
    flow: () => {
      stalled = false;
      for (const s of open) s.destroy();
      open.clear();
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of open) s.destroy();
        server.close(() => ok());
      }),
  };
}
