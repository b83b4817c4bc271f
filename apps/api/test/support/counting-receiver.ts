import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A receiver on loopback that counts each message's pushes (by `webhook-id`) as they arrive, so a
 * push that reached it twice counts twice even when one of them was never answered; it answers
 * the nth push (from 0) with 204 after `answerAfterMs(n)` ms.
 */
export async function countingReceiver(answerAfterMs: (nth: number) => number) {
  const received = new Map<string, number>();
  let pushes = 0;
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    for await (const _ of req) void _;
    const id = String(req.headers["webhook-id"]);
    received.set(id, (received.get(id) ?? 0) + 1);
    setTimeout(() => res.writeHead(204).end(), answerAfterMs(pushes++));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`,
    received,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
