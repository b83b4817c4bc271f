import { Server as NetServer } from "node:net";
import type { IncomingMessage, Server, ServerResponse } from "node:http";

/** How an HTTP server stops taking requests without cutting one off. */
export type GracefulClose = {
  /** Stops listening and settles once every connection has closed (see {@link gracefulClose}). */
  close(): Promise<void>;
};

/**
 * Closes `server` the way a keep-alive client can live with: it stops listening at once (a new
 * connection is refused), answers what it has begun, and closes each kept-alive connection only
 * where no request can be on its way. Every answer written from then on says `Connection: close`,
 * so its client sends nothing more there and the connection ends after it; a connection idle at
 * the close is left to the server's keep-alive timeout (`Keep-Alive: timeout=…`, which clients
 * honour by not reusing it so late), and a request still arriving on it in time is answered with
 * `Connection: close` too. Destroying idle connections at once (`server.close()` on Node 19+)
 * would reset the requests already on the wire to them.
 */
export function gracefulClose(server: Server): GracefulClose {
  const answering = new Set<ServerResponse>();
  let closing = false;
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) res.setHeader("connection", "close");
    answering.add(res);
    res.once("close", () => answering.delete(res));
  });
  return {
    close: () => {
      closing = true;
      for (const res of answering) if (!res.headersSent) res.setHeader("connection", "close");
      // The net server's own close: stop listening, and wait for the connections instead of destroying the idle ones.
      return new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    },
  };
}
