// A postvej push receiver: verifies the Standard Webhooks signature with Web Crypto, deduplicates on
// webhook-id and acknowledges with 200. Node 20+, no dependencies.
//
//   POSTVEJ_SIGNING_SECRET=whsec_... PORT=9100 INBOX_DIR=./inbox node receiver.mjs
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// ---- Verification: copy this block into your receiver. ---------------------------------------
const TOLERANCE_SECONDS = 5 * 60;

/**
 * True when `body` (the raw bytes, before any parsing) was signed by postvej with `secret`.
 * `headers` are Node's lower-cased request headers; `nowSeconds` is the current Unix time.
 */
export async function verifyPostvejSignature(secret, headers, body, nowSeconds = Math.floor(Date.now() / 1000)) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestamp || !signatures) return false;
  // Refuse old (replayed) and far-future messages.
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) return false;

  const keyBytes = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signedContent = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, "utf8"), body]);
  // Several signatures are sent while a secret is being rotated; one valid "v1" is enough.
  for (const versioned of signatures.split(" ")) {
    const [version, signature] = versioned.split(",");
    if (version !== "v1" || !signature) continue;
    // crypto.subtle.verify compares in constant time.
    if (await crypto.subtle.verify("HMAC", key, Buffer.from(signature, "base64"), signedContent)) return true;
  }
  return false;
}
// ---- End of the verification block. -----------------------------------------------------------

/**
 * Starts a receiver. `onMessage({ messageUuid, contactPointId, attempt, body })` must store the
 * message durably before it returns; if it throws, postvej gets a 500 and tries again later.
 */
export async function startReceiver({
  secret,
  port = 0,
  host = "127.0.0.1",
  maxBodyBytes = 64 * 1024 * 1024,
  onMessage = async () => {},
}) {
  // At-least-once delivery: the same message can arrive twice. A real receiver keeps these ids in its
  // database (a unique key on the message UUID); an in-memory set is enough for a demo.
  const received = new Set();

  const server = createServer(async (req, res) => {
    const answer = (status, text) => res.writeHead(status, { "content-type": "text/plain" }).end(text);
    if (req.method !== "POST") return answer(405, "POST only");

    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > maxBodyBytes) return answer(413, "too large");
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);

    if (!(await verifyPostvejSignature(secret, req.headers, body))) return answer(401, "bad signature");

    const messageUuid = req.headers["webhook-id"];
    // Signed by postvej, but it becomes a file name below: accept UUIDs only.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(messageUuid)) return answer(400, "bad id");
    // A duplicate must still get a 2xx, or postvej keeps retrying it.
    if (received.has(messageUuid)) return answer(200, "duplicate");
    try {
      await onMessage({
        messageUuid,
        contactPointId: req.headers["postvej-contact-point-id"] ?? null,
        attempt: Number(req.headers["postvej-attempt"]),
        body,
      });
    } catch (error) {
      console.error(`could not store ${messageUuid}:`, error);
      return answer(500, "try again");
    }
    received.add(messageUuid);
    answer(200, "received");
  });

  await new Promise((resolve) => server.listen(port, host, resolve));
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.POSTVEJ_SIGNING_SECRET;
  if (!secret?.startsWith("whsec_")) {
    console.error("Set POSTVEJ_SIGNING_SECRET to the whsec_… secret postvej shows for your recipient system.");
    process.exit(1);
  }
  const inbox = process.env.INBOX_DIR ?? "./inbox";
  await mkdir(inbox, { recursive: true });
  const { port } = await startReceiver({
    secret,
    port: Number(process.env.PORT ?? 9100),
    host: process.env.HOST ?? "127.0.0.1",
    onMessage: async ({ messageUuid, contactPointId, attempt, body }) => {
      await writeFile(join(inbox, `${messageUuid}.xml`), body);
      console.log(`received ${messageUuid} (contact point ${contactPointId ?? "-"}, attempt ${attempt})`);
    },
  });
  console.log(`postvej receiver listening on port ${port}, storing messages in ${inbox}`);
}
