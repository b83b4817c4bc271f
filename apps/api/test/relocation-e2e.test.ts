import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { verifyWebhook } from "@postvej/core/delivery";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";
import { must } from "./support/reply.ts";
import { CVR, createTestApp, OPERATOR, type TestApp } from "./support/test-app.ts";

type Received = { headers: IncomingHttpHeaders; body: Uint8Array; verified: boolean; reason?: string };

describe("end to end over HTTP: a deactivated system's post reaches Virk, is moved, and arrives signed", () => {
  let t: TestApp;
  let api: ServerType;
  let apiUrl: string;
  let recipient: Server;
  let recipientUrl: string;
  let secret = "";
  const received: Received[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    // A real recipient system on loopback that checks every push with verifyWebhook at its real clock.
    recipient = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const body = new Uint8Array(Buffer.concat(chunks));
        const check = await verifyWebhook({ secret, headers: req.headers as Record<string, string>, body, now: new Date() });
        received.push({ headers: req.headers, body, verified: check.ok, ...(check.ok ? {} : { reason: check.reason }) });
        res.writeHead(check.ok ? 200 : 401).end();
      });
    });
    await new Promise<void>((resolve) => recipient.listen(0, "127.0.0.1", resolve));
    recipientUrl = `http://127.0.0.1:${(recipient.address() as AddressInfo).port}/postvej`;
    await new Promise<void>((resolve) => {
      api = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
        apiUrl = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => api.close(resolve));
    await new Promise((resolve) => recipient.close(resolve));
    await t.db.destroy();
  });

  async function http(method: string, path: string, token: string, body?: unknown, contentType = "application/json") {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": contentType } : {}) },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as any) : undefined, text };
  }

  it("moves post out of Virk to another contact point and delivers it, signed, to a real receiver", async () => {
    const base = `/v1/authorities/${CVR}`;
    await must(http("POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "Ærø Kommune" }), 201);
    const admin = (await must(http("POST", `${base}/api-keys`, OPERATOR, { role: "admin", label: "drift" }), 201)).key;
    const sender = (await must(http("POST", `${base}/api-keys`, OPERATOR, { role: "sender", label: "afsender" }), 201)).key;
    const system = (name: string, endpoint: string) => ({
      name,
      protocol: "REST_PUSH",
      endpoint,
      memoVersion: "1.2",
      technicalContact: { name: "T", email: `t-${name}@example.dk` },
      businessContactEmail: `b-${name}@example.dk`,
    });
    const dead = await must(http("POST", `${base}/recipient-systems`, admin, system("gammelt", "http://127.0.0.1:9/never")), 201);
    const live = await must(http("POST", `${base}/recipient-systems`, admin, system("nyt", recipientUrl)), 201);
    expect(dead.primary).toBe(true);
    secret = live.signingSecret;
    const cpDead = await must(
      http("POST", `${base}/contact-points`, admin, {
        name: "Gammel indgang",
        recipientSystemId: dead.id,
        visible: true,
        audiences: ["authorities"],
      }),
      201,
    );
    const cpLive = await must(
      http("POST", `${base}/contact-points`, admin, {
        name: "Ny indgang",
        recipientSystemId: live.id,
        visible: true,
        audiences: ["authorities"],
      }),
      201,
    );

    // post for the old system, which is the primary; then it is deactivated and the post lands in Virk
    const memos = [memoFor(CVR, { contactPointId: cpDead.id }), memoFor(CVR, { contactPointId: cpDead.id })];
    for (const m of memos)
      expect((await must(http("POST", "/v1/messages", sender, m.xml, "application/xml"), 202)).custodian).toEqual({
        kind: "recipient_system",
        recipientSystemId: dead.id,
      });
    const off = await must(http("POST", `${base}/recipient-systems/${dead.id}/deactivate`, admin), 200);
    expect(off).toMatchObject({ state: "deactivated", moved: 2, destination: { kind: "virk" } });
    const virk = await must(http("GET", `${base}/virk/messages`, admin), 200);
    expect(virk.total).toBe(2);
    expect(virk.items.map((m: any) => m.messageUUID).sort()).toEqual(memos.map((m) => m.uuid).sort());
    expect(virk.items[0]).toMatchObject({
      originalContactPointId: cpDead.id,
      originalContactPointName: "Gammel indgang",
      reason: "system_deactivated",
    });

    // the administrator picks the new contact point (previewed first) and moves it
    const targets = await must(http("GET", `${base}/relocation-targets`, admin), 200);
    expect(targets.items.filter((x: any) => x.eligible).map((x: any) => x.contactPointId)).toEqual([cpLive.id]);
    const request = { selection: { all: true }, targetContactPointId: cpLive.id, preferOriginal: true };
    const plan = await must(http("POST", `${base}/relocations`, admin, { ...request, dryRun: true }), 200);
    expect(plan).toEqual({
      dryRun: true,
      total: 2,
      moves: [
        { contactPointId: cpLive.id, contactPointName: "Ny indgang", recipientSystemId: live.id, recipientSystemName: "nyt", count: 2 },
      ],
      skipped: [],
    });
    const rel = await must(http("POST", `${base}/relocations`, admin, { ...request, dryRun: false }), 202);
    expect(rel).toMatchObject({ state: "finished", total: 2, moved: 2, skipped: 0, actor: { kind: "api_key", name: "drift" } });
    expect((await must(http("GET", `${base}/virk/messages`, admin), 200)).total).toBe(0);

    // a delivery run pushes it to the real receiver, signed with the new system's secret
    await t.deps.runJobs(await t.clock.now());
    expect(received).toHaveLength(2);
    for (const r of received) {
      expect(r.verified).toBe(true);
      expect(r.headers["postvej-contact-point-id"]).toBe(cpLive.id);
      const memo = memos.find((m) => m.uuid === r.headers["webhook-id"]);
      expect(new TextDecoder().decode(r.body)).toBe(memo!.xml);
    }
    for (const m of memos) {
      const state = await must(http("GET", `/v1/messages/${m.uuid}`, admin), 200);
      expect(state).toMatchObject({ state: "delivered", custodian: { kind: "recipient_system", recipientSystemId: live.id } });
    }
    const items = await must(http("GET", `${base}/relocations/${rel.id}/items`, admin), 200);
    expect(items.items.map((i: any) => [i.fromContactPointId, i.toContactPointId, i.toRecipientSystemId, i.outcome])).toEqual([
      [cpDead.id, cpLive.id, live.id, "moved"],
      [cpDead.id, cpLive.id, live.id, "moved"],
    ]);
    // Each item names its sender as the Virk mailbox does: the MeMo Sender's id and label.
    expect(items.items.map((i: any) => [i.senderId, i.senderLabel])).toEqual([
      ["12345678", "Kommunen"],
      ["12345678", "Kommunen"],
    ]);
  });
});
