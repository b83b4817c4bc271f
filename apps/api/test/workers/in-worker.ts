// Helpers for the tests that run inside workerd: calls through the Worker's own fetch handler,
// a MeMo sample readdressed to an authority, and the loopback receiver's control endpoints.
import { SELF } from "cloudflare:test";
import { inject } from "vitest";
import { readReply, type Reply } from "../support/reply.ts";

/** The operator token bound in vitest.workers.config.ts. */
export const OPERATOR = "workers-test-operator-0123456789";

/** One request through the Worker's fetch handler (the real env: sqld, the Queue, send_email). */
export async function call(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const h = new Headers(headers);
  if (token) h.set("authorization", `Bearer ${token}`);
  let payload: string | undefined;
  if (typeof body === "string") payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    h.set("content-type", "application/json");
  }
  return readReply(
    await SELF.fetch(`https://postvej.test${path}`, { method, headers: h, ...(payload !== undefined ? { body: payload } : {}) }),
  );
}

/** `call`, failing unless the status is `status`; returns the JSON body. */
export async function must(
  status: number,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<any> {
  const r = await call(method, path, token, body, headers);
  if (r.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${r.status}: ${r.text}`);
  return r.json;
}

/**
 * `v1.2-minimum.xml` readdressed to `cvr` (idType CVR) with a fresh messageUUID, optionally to a
 * contact point and with a value date (the same edits as test/support/memo-fixtures.ts, which
 * reads files and so cannot run here).
 */
export function memoFor(cvr: string, opts: { contactPointId?: string; valueDate?: string } = {}): { xml: string; uuid: string } {
  const uuid = crypto.randomUUID();
  let xml = inject("memoSample");
  xml = xml.replace(/(<memo:MessageHeader>[\s\S]*?<memo:messageUUID>)[^<]*(<\/memo:messageUUID>)/, `$1${uuid}$2`);
  xml = xml.replace(
    /<memo:Recipient>\s*<memo:recipientID>[^<]*<\/memo:recipientID>\s*<memo:idType>[^<]*<\/memo:idType>/,
    `<memo:Recipient>\n\t\t\t<memo:recipientID>${cvr}</memo:recipientID>\n\t\t\t<memo:idType>CVR</memo:idType>`,
  );
  if (opts.contactPointId) {
    xml = xml.replace(
      /(<memo:Recipient>[\s\S]*?)(<\/memo:Recipient>)/,
      (_m, head: string, end: string) =>
        `${head.replace(/<memo:ContactPoint>[\s\S]*?<\/memo:ContactPoint>\s*/, "")}<memo:ContactPoint><memo:contactPointID>${opts.contactPointId}</memo:contactPointID></memo:ContactPoint>\n\t\t${end}`,
    );
  }
  xml = xml.replace(/\s*<memo:doNotDeliverUntilDate>[^<]*<\/memo:doNotDeliverUntilDate>/, "");
  if (opts.valueDate)
    xml = xml.replace(
      /(<memo:label>[^<]*<\/memo:label>)/,
      `$1\n\t\t<memo:doNotDeliverUntilDate>${opts.valueDate}</memo:doNotDeliverUntilDate>`,
    );
  return { xml, uuid };
}

/** The loopback receiver's address for a system key. */
export function receiverEndpoint(key: string): string {
  return `${inject("receiverUrl")}/systems/${encodeURIComponent(key)}`;
}

/** Tells the receiver a system's signing secret, so it verifies that system's pushes. */
export async function registerSecret(key: string, secret: string): Promise<void> {
  const res = await fetch(`${inject("receiverUrl")}/control/systems/${encodeURIComponent(key)}`, {
    method: "PUT",
    body: JSON.stringify({ secret }),
  });
  if (!res.ok) throw new Error(`receiver refused the secret: ${res.status}`);
}

/** One push as the receiver saw it (see loopback-receiver.ts). */
export type SeenPush = {
  webhookId: string | null;
  attempt: string | null;
  contentType: string | null;
  bytes: number;
  /** The SHA-256 (hex) of the bytes received. */
  sha256: string;
  verified: boolean;
  rejection: string | null;
};

/** What the receiver got for a system key so far. */
export async function seenBy(key: string): Promise<SeenPush[]> {
  return (await fetch(`${inject("receiverUrl")}/control/systems/${encodeURIComponent(key)}`)).json();
}

/** Creates an authority with admin and sender keys, a push system on the receiver, and a contact point. */
export async function seedAuthority(cvr: string, systemKey: string) {
  await must(201, "POST", "/v1/authorities", OPERATOR, { cvr, name: `Myndighed ${cvr}` });
  const admin = (await must(201, "POST", `/v1/authorities/${cvr}/api-keys`, OPERATOR, { role: "admin", label: "admin" })).key as string;
  const sender = (await must(201, "POST", `/v1/authorities/${cvr}/api-keys`, OPERATOR, { role: "sender", label: "sender" })).key as string;
  const system = await must(201, "POST", `/v1/authorities/${cvr}/recipient-systems`, admin, {
    name: "Fagsystem",
    protocol: "REST_PUSH",
    endpoint: receiverEndpoint(systemKey),
    memoVersion: "1.2",
    technicalContact: { name: "Tekniker", email: "tech@fagsystem.test" },
    businessContactEmail: "biz@fagsystem.test",
  });
  await registerSecret(systemKey, system.signingSecret as string);
  const cp = await must(201, "POST", `/v1/authorities/${cvr}/contact-points`, admin, {
    name: "Borgerservice",
    recipientSystemId: system.id,
    visible: true,
    audiences: ["citizens_companies"],
  });
  return { cvr, admin, sender, system: system as { id: string; signingSecret: string }, cp: cp as { id: string } };
}
