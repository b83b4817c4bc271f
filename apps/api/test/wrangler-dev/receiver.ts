// A recipient system on 127.0.0.1 in the test process: every push is checked with the
// `standardwebhooks` library (what a vendor would use), and its webhook-id recorded.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type Receiver = {
  /** The push endpoint to register for the system. */
  url: string;
  /** The system's signing secret, once postvej has shown it. */
  setSecret(secret: string): void;
  /** How often each webhook-id arrived with a verifying signature. */
  verified: Map<string, number>;
  /** Pushes that did not verify (webhook-id and the library's reason). */
  rejected: { id: string | null; reason: string }[];
  close(): Promise<void>;
};

/** Answers 204 to a verifying push, 401 to any other. */
export async function startReceiver(): Promise<Receiver> {
  let hook: Webhook | null = null;
  const verified = new Map<string, number>();
  const rejected: Receiver["rejected"] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/push") return void res.writeHead(404).end();
      const id = typeof req.headers["webhook-id"] === "string" ? req.headers["webhook-id"] : null;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers[name] = value;
      try {
        if (!hook) throw new Error("no secret registered yet");
        hook.verify(Buffer.concat(chunks).toString("utf8"), headers, { jsonParse: false });
        if (!id) throw new Error("no webhook-id");
        verified.set(id, (verified.get(id) ?? 0) + 1);
        res.writeHead(204).end();
      } catch (err) {
        rejected.push({ id, reason: err instanceof Error ? err.message : String(err) });
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/push`,
    setSecret: (secret) => void (hook = new Webhook(secret)),
    verified,
    rejected,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
