// Inside workerd: the Worker's fetch handler against a real sqld.
import { describe, expect, inject, it, vi } from "vitest";
import { call, memoFor, must, OPERATOR, registerSecret, seedAuthority, seenBy } from "./in-worker.ts";

const CVR = "29189846";
const CVR2 = "31000009";
const CVR3 = "32000002";
const XML = { "content-type": "application/xml" };

describe("the Worker's fetch handler", () => {
  it("answers the health check from the database", async () => {
    const r = await call("GET", "/healthz", null);
    expect(r.status).toBe(200);
    expect(r.json.ok).toBe(true);
    expect(Number.isNaN(Date.parse(r.json.now))).toBe(false);
  });

  it("refuses a missing or wrong token with a problem+json 401", async () => {
    const missing = await call("GET", `/v1/authorities/${CVR}/status`, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(missing.json).toMatchObject({ status: 401 });
    const wrong = await call("POST", "/v1/authorities", "not-the-operator-token-000", { cvr: CVR, name: "X" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("takes an authority through keys, a system and a contact point to an accepted MeMo, and reads it back", async () => {
    const s = await seedAuthority(CVR, "app-flow");
    expect(s.system.signingSecret).toMatch(/^whsec_/);
    const m = memoFor(CVR, { contactPointId: s.cp.id });
    const accepted = await call("POST", "/v1/messages", s.sender, m.xml, XML);
    expect(accepted.status).toBe(202);
    expect(accepted.json).toMatchObject({
      messageUUID: m.uuid,
      state: "queued",
      custodian: { kind: "recipient_system", recipientSystemId: s.system.id },
      route: { reason: "contact_point", contactPointId: s.cp.id },
    });
    const again = await call("POST", "/v1/messages", s.sender, m.xml, XML);
    expect(again.status).toBe(200);

    const read = await must(200, "GET", `/v1/messages/${m.uuid}`, s.sender);
    expect(read.messageUUID).toBe(m.uuid);
    expect(read.events.map((e: { type: string }) => e.type)).toEqual(["received", "routed"]);
    const body = await call("GET", `/v1/messages/${m.uuid}`, s.admin);
    expect(body.status).toBe(200);
    expect((await call("GET", "/v1/messages/" + crypto.randomUUID(), s.sender)).status).toBe(404);
  });

  it("pushes in-process when the simulated clock is fast-forwarded (the Cron Trigger uses the Queue)", async () => {
    // The fresh message's first push (claimed by its own request, pushed by the Queue's consumer) is
    // refused: the receiver knows another secret. The retry is due 30 s later.
    const s = await seedAuthority(CVR2, "app-clock");
    await registerSecret("app-clock", "whsec_" + btoa("not the system's secret, 32 bytes"));
    const m = memoFor(CVR2, { contactPointId: s.cp.id });
    expect((await call("POST", "/v1/messages", s.sender, m.xml, XML)).json.state).toBe("queued");
    await vi.waitFor(async () => expect((await must(200, "GET", `/v1/messages/${m.uuid}`, s.sender)).attempts).toHaveLength(1), {
      timeout: 20_000,
      interval: 100,
    });
    await registerSecret("app-clock", s.system.signingSecret);
    const moved = await must(200, "POST", "/v1/dev/clock", OPERATOR, { advance: "PT1M" });
    expect(moved.ticks).toBe(1);
    // Delivered by the time the request answers: no Queue in between.
    const read = await must(200, "GET", `/v1/messages/${m.uuid}`, s.sender);
    expect(read.state).toBe("delivered");
    expect(read.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(["failed", "delivered"]);
    const seen = (await seenBy("app-clock")).filter((p) => p.webhookId === m.uuid);
    expect(seen).toMatchObject([{ verified: false }, { verified: true, attempt: "2" }]);
  });

  it("opens sealed signing secrets, rotates one (the push verifies with the new secret) and revokes a key at once", async () => {
    const s = await seedAuthority(CVR3, "app-rotate");
    const first = memoFor(CVR3, { contactPointId: s.cp.id });
    await must(202, "POST", "/v1/messages", s.sender, first.xml, XML);
    await vi.waitFor(async () => expect((await must(200, "GET", `/v1/messages/${first.uuid}`, s.sender)).state).toBe("delivered"), {
      timeout: 20_000,
      interval: 100,
    });
    // Stored sealed (read straight from sqld): the push above opened it inside workerd.
    const stored = (await fetch(`${inject("libsqlUrl")}/v2/pipeline`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        requests: [
          {
            type: "execute",
            stmt: { sql: "SELECT signing_secret FROM recipient_systems WHERE id = ?", args: [{ type: "text", value: s.system.id }] },
          },
          { type: "close" },
        ],
      }),
    }).then((r) => r.json())) as { results: { response: { result: { rows: { value: string }[][] } } }[] };
    expect(stored.results[0]!.response.result.rows[0]![0]!.value).toMatch(/^pvenc1:/);
    const rotated = await must(201, "POST", `/v1/authorities/${CVR3}/recipient-systems/${s.system.id}/signing-secret`, s.admin, {
      graceHours: 1,
    });
    expect(rotated.signingSecret).toMatch(/^whsec_/);
    // The receiver now knows only the new secret.
    await registerSecret("app-rotate", rotated.signingSecret);
    const second = memoFor(CVR3, { contactPointId: s.cp.id });
    expect((await call("POST", "/v1/messages", s.sender, second.xml, XML)).status).toBe(202);
    await vi.waitFor(async () => expect((await must(200, "GET", `/v1/messages/${second.uuid}`, s.sender)).state).toBe("delivered"), {
      timeout: 20_000,
      interval: 100,
    });
    expect((await seenBy("app-rotate")).map((p) => [p.webhookId, p.verified])).toEqual([
      [first.uuid, true],
      [second.uuid, true],
    ]);

    const keys = (await must(200, "GET", `/v1/authorities/${CVR3}/api-keys`, s.admin)).items as {
      id: string;
      label: string;
      lastUsedAt: string | null;
    }[];
    const sender = keys.find((k) => k.label === "sender")!;
    await vi.waitFor(
      async () =>
        expect(
          (await must(200, "GET", `/v1/authorities/${CVR3}/api-keys`, s.admin)).items.find((k: { id: string }) => k.id === sender.id)
            .lastUsedAt,
        ).not.toBeNull(),
      { timeout: 5_000, interval: 100 },
    );
    expect((await must(200, "DELETE", `/v1/authorities/${CVR3}/api-keys/${sender.id}`, s.admin)).revokedAt).not.toBeNull();
    const refused = await call("POST", "/v1/messages", s.sender, memoFor(CVR3, { contactPointId: s.cp.id }).xml, XML);
    expect(refused.status).toBe(401);
    expect(refused.json.detail).toBe("the API key was revoked");
  });

  it("refuses a MeMo that is not well-formed with a problem+json 4xx", async () => {
    const key = (await must(201, "POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "sender", label: "broken" })).key as string;
    const r = await call("POST", "/v1/messages", key, "<memo:Message", XML);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});

describe("the Worker bundle", () => {
  it("pulls in no Node-only file and no node:* module (it runs without nodejs_compat)", () => {
    const bundle = inject("workerBundle");
    expect(bundle.nodeOnlyFiles).toEqual([]);
    expect(bundle.nodeImports).toEqual([]);
    expect(bundle.bytes).toBeGreaterThan(100_000);
  });
});
