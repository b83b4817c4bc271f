// Node side of the Workers tests: a recipient system on 127.0.0.1 that checks every push with
// verifyWebhook, so the signature is verified outside workerd, by the code vendors are told to use.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "@postvej/core/delivery";

/** One push as the receiver saw it. */
export type SeenPush = {
  webhookId: string | null;
  attempt: string | null;
  contentType: string | null;
  bytes: number;
  /** The SHA-256 (hex) of the bytes received. */
  sha256: string;
  /** True when `verifyWebhook` accepted it with the system's secret, at the receiver's clock. */
  verified: boolean;
  rejection: string | null;
};

/**
 * Pushes go to `POST /systems/{key}`. The tests register a system's signing secret with
 * `PUT /control/systems/{key}` (`{ secret }`) and read what arrived with `GET /control/systems/{key}`.
 * Signatures are checked at this machine's real clock, as a vendor's receiver would check them,
 * whatever clock postvej's domain runs on.
 */
export async function startLoopbackReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const secrets = new Map<string, string>();
  const seen = new Map<string, SeenPush[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = new Uint8Array(Buffer.concat(chunks));
        const parts = (req.url ?? "/").split("?")[0]!.split("/").slice(1).map(decodeURIComponent);
        const text = () => Buffer.from(body).toString("utf8");
        const json = (status: number, value: unknown) =>
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
        if (parts[0] === "control" && parts[1] === "systems" && parts[2]) {
          if (req.method === "PUT") {
            secrets.set(parts[2], (JSON.parse(text()) as { secret: string }).secret);
            return json(200, {});
          }
          return json(200, seen.get(parts[2]) ?? []);
        }
        const key = parts[1] ?? "";
        if (parts[0] !== "systems" || !key || req.method !== "POST") return json(404, {});
        const secret = secrets.get(key);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
        const check = secret
          ? await verifyWebhook({ secret, headers, body, now: new Date() })
          : { ok: false as const, reason: "no secret registered" };
        const list = seen.get(key) ?? [];
        list.push({
          webhookId: headers.get("webhook-id"),
          attempt: headers.get("postvej-attempt"),
          contentType: headers.get("content-type"),
          bytes: body.byteLength,
          sha256: createHash("sha256").update(body).digest("hex"),
          verified: check.ok,
          rejection: check.ok ? null : String(check.reason),
        });
        seen.set(key, list);
        res.writeHead(check.ok ? 204 : 401).end();
      })().catch((err: unknown) => res.writeHead(500).end(String(err)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
