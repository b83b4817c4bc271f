import PostalMime from "postal-mime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readMailConfig } from "../src/config.ts";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { deliveryPump } from "../src/jobs/delivery-pump.ts";
import { createNodeTransport } from "../src/mail/mail-config.ts";
import { startSmtpSink } from "./support/mail-fixtures.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { startRecipientServer } from "./support/recipient-server.ts";
import { must } from "./support/reply.ts";
import { CVR, OPERATOR, createTestApp, type TestApp } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };
type Sink = Awaited<ReturnType<typeof startSmtpSink>>;
type Receiver = Awaited<ReturnType<typeof startRecipientServer>>;

let t: TestApp;
let sink: Sink;
let receiver: Receiver;
let admin: string;
let sender: string;
const ids: Record<string, string> = {};
const cps: Record<string, string> = {};

/** An authority with systems P (primary), A and B, each pushing to its own loopback path. */
async function setup(down: { P?: boolean; A?: boolean; B?: boolean }) {
  sink = await startSmtpSink();
  receiver = await startRecipientServer();
  const mail = createNodeTransport(readMailConfig({ POSTVEJ_MAIL_URL: sink.url, POSTVEJ_MAIL_FROM: "postvej@postvej.test" }));
  t = await createTestApp({ start: "2026-11-02T08:00:00Z", mail });
  await must(t.call("POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "Testkommune" }), 201);
  admin = (await must(t.call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "admin", label: "admin" }), 201)).key;
  sender = (await must(t.call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "sender", label: "sender" }), 201)).key;
  for (const name of ["P", "A", "B"] as const) {
    const s = await must(
      t.call("POST", `/v1/authorities/${CVR}/recipient-systems`, admin, {
        name,
        protocol: "REST_PUSH",
        endpoint: receiver.url(`/${name}`),
        memoVersion: "1.2",
        technicalContact: { name: `Tekniker ${name}`, email: `tech-${name.toLowerCase()}@example.dk` },
        businessContactEmail: `biz-${name.toLowerCase()}@example.dk`,
      }),
      201,
    );
    ids[name] = s.id;
    receiver.register(`/${name}`, s.signingSecret, down[name] ? 503 : 204);
    cps[name] = (
      await must(
        t.call("POST", `/v1/authorities/${CVR}/contact-points`, admin, {
          name: `CP ${name}`,
          recipientSystemId: s.id,
          visible: true,
          audiences: ["authorities"],
        }),
        201,
      )
    ).id;
  }
}

async function send(to: "P" | "A" | "B" | null): Promise<string> {
  const m = memoFor(CVR, to ? { contactPointId: cps[to]! } : {});
  await must(t.call("POST", "/v1/messages", sender, m.xml, XML), 202);
  return m.uuid;
}

async function advance(duration: string) {
  return must(t.call("POST", "/v1/dev/clock", OPERATOR, { advance: duration }), 200);
}

const custodian = async (uuid: string) => await must(t.call("GET", `/v1/messages/${uuid}`, admin), 200);
const outbox = () =>
  t.db
    .selectFrom("outbox")
    .select(["template", "to_addresses", "recipient_system_id", "sent_at", "subject"])
    .orderBy("queued_at")
    .orderBy("id")
    .execute();
const systemState = async (name: string) =>
  (await must(t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${ids[name]}`, admin), 200)).state;

afterEach(async () => {
  await receiver?.close();
  await sink?.close();
});

describe("the gensendelsesflow, a whole episode on the simulated clock", () => {
  beforeEach(async () => setup({ A: true }));

  it("A down for eight days: warned on day 2 and 5, deactivated on day 7, its post delivered by the primary; B, failing all but one message, is warned and stays active", async () => {
    const toA = [await send("A"), await send("A")];
    // B refuses every message except the one it gets on day 3.
    let bAccepts = "";
    receiver.set("/B", (req, res) => void res.writeHead(req.uuid === bAccepts ? 204 : 500));
    const toB = [await send("B"), await send("B")];
    await advance("PT1H");

    await advance("P1DT22H"); // day 1 + 23h: not yet two days
    expect((await outbox()).length).toBe(0);
    await advance("PT2H"); // past day 2
    let mails = await outbox();
    expect(mails.map((m) => [m.template, m.recipient_system_id]).sort()).toEqual(
      [
        ["warning_day2", ids.A],
        ["warning_day2", ids.B],
      ].sort(),
    );
    expect(JSON.parse(mails.find((m) => m.recipient_system_id === ids.A)!.to_addresses)).toEqual(["tech-a@example.dk", "biz-a@example.dk"]);

    await advance("PT22H"); // day 3: B receives one message
    bAccepts = await send("B");
    await advance("PT1H");
    expect(receiver.delivered("/B").has(bAccepts)).toBe(true);

    await advance("P2DT1H"); // day 5
    mails = await outbox();
    expect(
      mails
        .filter((m) => m.template === "warning_day5")
        .map((m) => m.recipient_system_id)
        .sort(),
    ).toEqual([ids.A, ids.B].sort());
    expect(await systemState("A")).toBe("active");

    await advance("P2D"); // day 7
    expect(await systemState("A")).toBe("deactivated");
    expect(await systemState("B")).toBe("active");
    for (const uuid of toA) {
      const m = await custodian(uuid);
      expect(m.custodian).toEqual({ kind: "recipient_system", recipientSystemId: ids.P });
      expect(m.state).toBe("delivered");
      expect(m.events.map((e: { type: string }) => e.type)).toContain("rerouted");
    }
    // B's two old failures moved on after seven days, to the primary, without deactivating B.
    for (const uuid of toB) expect((await custodian(uuid)).custodian.recipientSystemId).toBe(ids.P);
    expect(receiver.delivered("/P")).toEqual(new Set([...toA, ...toB]));
    // Attempts count per system: after dozens of failed pushes to A and B, the primary's push is attempt 1.
    for (const uuid of [...toA, ...toB]) {
      expect(receiver.hits.filter((h) => h.uuid === uuid && h.path !== "/P").length).toBeGreaterThan(10);
      expect(receiver.hits.filter((h) => h.uuid === uuid && h.path === "/P").map((h) => h.attempt)).toEqual([1]);
    }

    await advance("P1D"); // day 8: nothing more
    mails = await outbox();
    const count = (tpl: string, sys: string) => mails.filter((m) => m.template === tpl && m.recipient_system_id === sys).length;
    expect([count("warning_day2", ids.A!), count("warning_day5", ids.A!), count("deactivated", ids.A!)]).toEqual([1, 1, 1]);
    expect([count("warning_day2", ids.B!), count("warning_day5", ids.B!), count("deactivated", ids.B!)]).toEqual([1, 1, 0]);
    expect(mails.every((m) => m.sent_at !== null)).toBe(true);

    // The SMTP server got exactly those five e-mails, each to both contacts of its system, none with a CPR number.
    const got = await Promise.all(sink.received.map(async (r) => ({ rcpt: [...r.rcptTo].sort(), mail: await PostalMime.parse(r.raw) })));
    expect(got.length).toBe(5);
    expect(got.filter((g) => g.rcpt.join() === "biz-a@example.dk,tech-a@example.dk").length).toBe(3);
    expect(got.filter((g) => g.rcpt.join() === "biz-b@example.dk,tech-b@example.dk").length).toBe(2);
    const deactivation = got.find((g) => /deaktiveret/i.test(g.mail.subject ?? ""))!;
    expect(deactivation.rcpt).toEqual(["biz-a@example.dk", "tech-a@example.dk"]);
    expect(deactivation.mail.text).toContain("primære modtagersystem");
    for (const g of got) expect(g.mail.text ?? "").not.toMatch(/\b\d{10}\b/);

    const events = (await must(t.call("GET", `/v1/authorities/${CVR}/events?limit=500`, admin), 200)).items.map(
      (e: { type: string }) => e.type,
    );
    expect(events.filter((x: string) => x === "system_warned").length).toBe(4);
    expect(events.filter((x: string) => x === "system_deactivated").length).toBe(1);
    expect(receiver.badSignatures).toEqual([]);
  });

  it("the status shows the episode and the next step with its date", async () => {
    await send("A");
    await advance("PT1H");
    const s = await must(t.call("GET", `/v1/authorities/${CVR}/status`, admin), 200);
    const a = s.systems.find((x: { id: string }) => x.id === ids.A);
    expect(a.undelivered).toBe(1);
    expect(a.nextStep.kind).toBe("warning_day2");
    expect(Date.parse(a.nextStep.at) - Date.parse(a.oldestUndeliveredAt)).toBe(2 * 86_400_000);
    expect(a.episode.day7At).toBe(new Date(Date.parse(a.failingSince) + 7 * 86_400_000).toISOString());
    const p = s.systems.find((x: { id: string }) => x.id === ids.P);
    expect(p).toMatchObject({ primary: true, state: "active", nextStep: null, episode: null });
  });
});

describe("an episode that ends between two runs of the flow", () => {
  beforeEach(async () => setup({ A: true }));

  it("ends when its last failing message is delivered, so a failure right after starts a new episode with its own day-2 warning", async () => {
    const first = await send("A");
    await advance("P2DT1H");
    const warnings = async () => (await outbox()).filter((m) => m.template === "warning_day2" && m.recipient_system_id === ids.A).length;
    expect(await warnings()).toBe(1);
    // A answers again and the message goes out in a run of its own, before the flow's next run...
    receiver.set("/A", (_req, res) => void res.writeHead(204));
    await must(t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${ids.A}/retry-now`, admin), 202);
    expect(await deliverDue(t.deps)).toMatchObject({ delivered: 1 });
    expect(receiver.delivered("/A").has(first)).toBe(true);
    // ...and A fails again at once: a new message, a new first failure.
    receiver.set("/A", (_req, res) => void res.writeHead(503));
    await send("A");
    expect(await deliverDue(t.deps)).toMatchObject({ failed: 1 });
    await advance("P2DT1H");
    expect(await warnings()).toBe(2);
  });
});

describe("the clock's advance, when it deactivates a system", () => {
  beforeEach(async () => setup({ A: true }));

  it("sends the post it moves on to the primary at once, not at the next tick", async () => {
    // The Node server's pump, as main.ts wires it: an advance (like any request that makes post due) kicks it.
    const pump = deliveryPump(t.deps);
    let kicked: Promise<void> | undefined;
    t.deps.kickDeliveries = (systemId) => (kicked = pump(systemId));
    const toA = [await send("A"), await send("A")];
    await advance("P6DT23H");
    expect(await systemState("A")).toBe("active");
    // One tick an advance of 15 minutes: the tick that deactivates A moves its post on after the
    // tick's own deliveries ran; only the kick after the advance sends it before the next tick.
    for (let step = 0; step < 12 && (await systemState("A")) === "active"; step++) await advance("PT15M");
    expect(await systemState("A")).toBe("deactivated");
    await kicked;
    expect(receiver.delivered("/P")).toEqual(new Set(toA));
  });
});

describe("with the primary also down", () => {
  beforeEach(async () => setup({ A: true, P: true }));

  it("the post lands in Virk and the deactivation e-mails say so", async () => {
    const toA = await send("A");
    const toP = await send(null);
    await advance("P7DT2H");
    expect(await systemState("A")).toBe("deactivated");
    expect(await systemState("P")).toBe("deactivated");
    for (const uuid of [toA, toP]) {
      const m = await custodian(uuid);
      expect(m).toMatchObject({ state: "in_virk", custodian: { kind: "virk" } });
    }
    const status = await must(t.call("GET", `/v1/authorities/${CVR}/status`, admin), 200);
    expect(status.virkCount).toBe(2);
    const deactivations = (await outbox()).filter((m) => m.template === "deactivated");
    expect(deactivations.map((m) => m.recipient_system_id).sort()).toEqual([ids.A, ids.P].sort());
    const texts = await t.db.selectFrom("outbox").select("body_text").where("template", "=", "deactivated").execute();
    for (const x of texts) expect(x.body_text).toMatch(/Virk/);
    // The digest to the authority's business contacts follows within the hour.
    expect((await outbox()).filter((m) => m.template === "virk_digest").length).toBe(1);
  });

  it("an administrator reactivates a system and new post routes to it again", async () => {
    await send("A");
    await advance("P7DT2H");
    receiver.set("/A", 204);
    await must(t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${ids.A}/reactivate`, admin), 200);
    const uuid = await send("A");
    await advance("PT1M");
    expect(await custodian(uuid)).toMatchObject({ state: "delivered", custodian: { recipientSystemId: ids.A } });
  });
});
