import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

// The end-to-end benchmark's recipient, in its own process: checks each push's Standard Webhooks
// signature (node:crypto HMAC), counts unique message ids and duplicates, answers 204. `PUT /secret`
// sets the secret (body: `whsec_…`), `GET /stats` answers the counts, `POST /reset` clears them.
let key: Buffer | null = null;
let seen = new Set<string>();
let duplicates = 0;
let badSignatures = 0;
let lastAckAt = 0;

function verified(id: string, timestamp: string, signatures: string, body: Buffer): boolean {
  if (!key) return false;
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
  return signatures.split(" ").some((s) => {
    const given = Buffer.from(s.slice(s.indexOf(",") + 1), "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    if (req.url === "/secret") {
      key = Buffer.from(body.toString().replace(/^whsec_/, ""), "base64");
      return res.writeHead(204).end();
    }
    if (req.url === "/stats") {
      const stats = { unique: seen.size, duplicates, badSignatures, lastAckAt };
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
    }
    if (req.url === "/reset") {
      seen = new Set();
      duplicates = badSignatures = lastAckAt = 0;
      return res.writeHead(204).end();
    }
    const id = String(req.headers["webhook-id"] ?? "");
    if (!verified(id, String(req.headers["webhook-timestamp"]), String(req.headers["webhook-signature"] ?? ""), body)) {
      badSignatures++;
      return res.writeHead(401).end();
    }
    if (seen.has(id)) duplicates++;
    else seen.add(id);
    // performance.timeOrigin + now(): comparable with the bench's own clock in another process.
    lastAckAt = performance.timeOrigin + performance.now();
    res.writeHead(204).end();
  });
}).listen(Number(process.env.PORT), "127.0.0.1");
