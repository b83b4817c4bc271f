// A push system's signing secret can be rotated (issue 12 §3): the new whsec_ secret is shown once;
// pushes carry both signatures (space-separated v1, entries, as Standard Webhooks has it) until
// previousValidUntil on the wall clock, then the new one's only. Checked at a real loopback
// receiver with the standardwebhooks library, as a vendor would.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { must } from "./support/reply.ts";
import { createPullSystem, createTestApp, CVR, OPERATOR, seedAuthority, type TestApp } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };

/** A loopback receiver that answers 204 and keeps every request's headers and body, to verify later. */
async function capturingReceiver() {
  const seen: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/in`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Whether a receiver holding `secret` accepts the push (the standardwebhooks library, at this process's clock). */
function verifies(secret: string, push: { headers: IncomingHttpHeaders; body: Buffer }): boolean {
  try {
    new Webhook(secret).verify(push.body, push.headers as Record<string, string>);
    return true;
  } catch (e) {
    // The library parses the payload as JSON after verifying it; a MeMo is XML. Only a verification error counts.
    return !(e instanceof Error && e.name === "WebhookVerificationError");
  }
}

async function pushOne(t: TestApp, cp: string, sender: string) {
  must(await t.call("POST", "/v1/messages", sender, memoFor(CVR, { contactPointId: cp }).xml, XML), 202);
  expect((await deliverDue(t.deps)).delivered).toBe(1);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("rotating a push system's signing secret", () => {
  it("signs with both secrets during the grace and with the new one only after it", async () => {
    const receiver = await capturingReceiver();
    try {
      const t = await createTestApp();
      const s = await seedAuthority(t, CVR, { a: receiver.url });
      const rotatePath = `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}/signing-secret`;
      const old = s.primary.signingSecret as string;

      // Before: one signature, the old secret's.
      await pushOne(t, s.cpPrimary.id, s.sender);
      expect(String(receiver.seen[0]!.headers["webhook-signature"]).split(" ")).toHaveLength(1);

      const before = Date.now();
      const rotated = must(await t.call("POST", rotatePath, s.admin, { graceHours: 2 }), 201);
      expect(rotated.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(rotated.signingSecret).not.toBe(old);
      const until = Date.parse(rotated.previousValidUntil);
      expect(until - before).toBeGreaterThanOrEqual(2 * 3_600_000);
      expect(until - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);
      const fresh = rotated.signingSecret as string;
      // The system shows the grace; it never shows a secret again.
      const shown = must(await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`, s.admin), 200);
      expect(shown.previousSecretValidUntil).toBe(rotated.previousValidUntil);
      expect(JSON.stringify(shown)).not.toContain(fresh.slice(6));
      expect(JSON.stringify(shown)).not.toContain(old.slice(6));

      // During the grace: two v1 signatures; a receiver holding either secret accepts the push.
      await pushOne(t, s.cpPrimary.id, s.sender);
      const during = receiver.seen[1]!;
      const entries = String(during.headers["webhook-signature"]).split(" ");
      expect(entries).toHaveLength(2);
      for (const e of entries) expect(e).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(verifies(fresh, during)).toBe(true);
      expect(verifies(old, during)).toBe(true);
      expect(verifies("whsec_" + Buffer.alloc(32, 7).toString("base64"), during)).toBe(false);

      // After it (the wall clock past previousValidUntil; the domain clock plays no part): the new one only.
      vi.useFakeTimers({ toFake: ["Date"], now: until + 1000 });
      await pushOne(t, s.cpPrimary.id, s.sender);
      const after = receiver.seen[2]!;
      expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
      expect(verifies(fresh, after)).toBe(true);
      expect(verifies(old, after)).toBe(false);
      expect(
        must(await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`, s.admin), 200).previousSecretValidUntil,
      ).toBeNull();
      vi.useRealTimers();

      const events = must(await t.call("GET", `/v1/authorities/${CVR}/events?type=signing_secret_rotated`, s.admin), 200).items;
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        recipientSystemId: s.primary.id,
        data: { graceHours: 2, previousValidUntil: rotated.previousValidUntil, by: "admin", actor: { kind: "api_key" } },
      });
      expect(JSON.stringify(events)).not.toContain(fresh.slice(6));
    } finally {
      await receiver.close();
    }
  });

  it("defaults to a 24-hour grace, drops the old secret at once with graceHours 0, and keeps two signatures at most", async () => {
    const receiver = await capturingReceiver();
    try {
      const t = await createTestApp();
      const s = await seedAuthority(t, CVR, { a: receiver.url });
      const rotatePath = `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}/signing-secret`;
      const first = s.primary.signingSecret as string;
      // No body at all is the default grace.
      const a = must(await t.call("POST", rotatePath, s.admin), 201);
      expect(Math.abs(Date.parse(a.previousValidUntil) - Date.now() - 24 * 3_600_000)).toBeLessThan(10_000);
      // A second rotation in the grace: the newest and the one before it sign; the first is gone.
      const b = must(await t.call("POST", rotatePath, s.admin, {}), 201);
      await pushOne(t, s.cpPrimary.id, s.sender);
      const push = receiver.seen.at(-1)!;
      expect(String(push.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      expect([verifies(b.signingSecret, push), verifies(a.signingSecret, push), verifies(first, push)]).toEqual([true, true, false]);
      // graceHours 0: the previous secret stops at once.
      const c = must(await t.call("POST", rotatePath, s.admin, { graceHours: 0 }), 201);
      expect(Date.parse(c.previousValidUntil)).toBeLessThanOrEqual(Date.now());
      await pushOne(t, s.cpPrimary.id, s.sender);
      const now = receiver.seen.at(-1)!;
      expect(String(now.headers["webhook-signature"]).split(" ")).toHaveLength(1);
      expect([verifies(c.signingSecret, now), verifies(b.signingSecret, now)]).toEqual([true, false]);
      // The test delivery is signed with the current secret alone: it tells whether the receiver has the new one.
      expect(must(await t.call("POST", rotatePath, s.admin, { graceHours: 5 }), 201).signingSecret).toMatch(/^whsec_/);
      must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}/test`, s.admin), 200);
      expect(String(receiver.seen.at(-1)!.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it("refuses a pull system (409), a grace out of bounds (422), and anyone but the authority's admin (404)", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const path = (id: string) => `/v1/authorities/${CVR}/recipient-systems/${id}/signing-secret`;
    const pull = await createPullSystem(t, s.admin);
    expect(must(await t.call("POST", path(pull.id), s.admin, {}), 409).code).toBe("not_push_system");
    for (const graceHours of [-1, 169, 1.5, "24"]) {
      const r = must(await t.call("POST", path(s.primary.id), s.admin, { graceHours }), 422);
      expect(r.issues[0].path).toBe("graceHours");
    }
    expect((await t.call("POST", path("rs_unknown"), s.admin, {})).status).toBe(404);
    const portal = must(
      await t.call("POST", `/v1/authorities/${CVR}/portal-sessions`, s.admin, {
        capabilities: ["view", "relocate", "reactivate"],
        user: { name: "K" },
      }),
      201,
    ).token;
    for (const token of [s.sender, portal, OPERATOR]) expect((await t.call("POST", path(s.primary.id), token, {})).status).toBe(404);
    // Nothing changed on the way.
    expect(
      must(await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`, s.admin), 200).previousSecretValidUntil,
    ).toBeNull();
  });
});
