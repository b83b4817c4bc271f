import { beforeEach, describe, expect, it } from "vitest";
import { memoFor, sample } from "./support/memo-fixtures.ts";
import { countMessages, createTestApp, CVR, OTHER_CVR, seedAuthority, type TestApp } from "./support/test-app.ts";

let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
const XML = { "content-type": "application/xml" };

beforeEach(async () => {
  t = await createTestApp({ start: "2026-11-27T09:00:00Z" });
  s = await seedAuthority(t);
});

const submit = (xml: string | Uint8Array, key = s.sender, query = "") => t.call("POST", `/v1/messages${query}`, key, xml, XML);
const count = () => countMessages(t);

describe("POST /v1/messages", () => {
  it("routes through an active contact point and records the reason and events", async () => {
    const m = memoFor(CVR, { contactPointId: s.cpOther.id });
    const r = await submit(m.xml);
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({
      messageUUID: m.uuid,
      state: "queued",
      custodian: { kind: "recipient_system", recipientSystemId: s.other.id },
      route: { reason: "contact_point", contactPointId: s.cpOther.id },
    });
    const read = await t.call("GET", `/v1/messages/${m.uuid}`, s.sender);
    expect(read.status).toBe(200);
    expect(read.json.events.map((e: { type: string }) => e.type)).toEqual(["received", "routed"]);
    expect((await t.call("GET", `/v1/messages/${m.uuid}`, s.admin)).status).toBe(200);
  });

  it("routes CVR-only and unknown contact points to the primary", async () => {
    const cvrOnly = await submit(memoFor(CVR).xml);
    expect(cvrOnly.json.route.reason).toBe("cvr_only");
    expect(cvrOnly.json.custodian.recipientSystemId).toBe(s.primary.id);
    const unknown = await submit(memoFor(CVR, { contactPointId: crypto.randomUUID() }).xml);
    expect(unknown.json.route.reason).toBe("unknown_contact_point");
    expect(unknown.json.custodian.recipientSystemId).toBe(s.primary.id);
  });

  it("is idempotent on messageUUID: same bytes 200, other bytes 409", async () => {
    const m = memoFor(CVR);
    expect((await submit(m.xml)).status).toBe(202);
    const again = await submit(m.xml);
    expect(again.status).toBe(200);
    expect(again.json.messageUUID).toBe(m.uuid);
    const other = await submit(m.xml.replace("Pladsanvisning</memo:label>", "Andet</memo:label>"));
    expect(other.status).toBe(409);
    expect(await count()).toBe(1);
  });

  it("holds a message with a value date up to 12 days ahead, refuses 13, and lets the sender recall it", async () => {
    const twelve = memoFor(CVR, { valueDate: "2026-12-09" });
    const r = await submit(twelve.xml);
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ state: "held", releaseAt: "2026-12-08T23:00:00.000Z" });
    const thirteen = await submit(memoFor(CVR, { valueDate: "2026-12-10" }).xml);
    expect(thirteen.status).toBe(422);
    expect(thirteen.json.issues[0]).toMatchObject({ code: "value_date_too_far", path: "/Message/MessageHeader/doNotDeliverUntilDate" });
    expect(thirteen.json.issues[0].message).toContain("12 days");
    expect((await t.call("POST", `/v1/messages/${twelve.uuid}/recall`, s.admin)).status).toBe(404);
    const recall = await t.call("POST", `/v1/messages/${twelve.uuid}/recall`, s.sender);
    expect(recall.status).toBe(200);
    expect(recall.json.state).toBe("recalled");
    expect((await t.call("POST", `/v1/messages/${twelve.uuid}/recall`, s.sender)).status).toBe(409);
  });

  it("releases a held message at Danish midnight on its value date", async () => {
    const m = memoFor(CVR, { valueDate: "2026-11-29" });
    await submit(m.xml);
    t.clock.set("2026-11-28T22:59:00Z");
    await t.deps.runJobs(await t.clock.now());
    expect((await t.call("GET", `/v1/messages/${m.uuid}`, s.sender)).json.state).toBe("held");
    t.clock.set("2026-11-28T23:00:00Z");
    await t.deps.runJobs(await t.clock.now());
    const after = await t.call("GET", `/v1/messages/${m.uuid}`, s.sender);
    expect(after.json.state).not.toBe("held");
    expect((await t.call("POST", `/v1/messages/${m.uuid}/recall`, s.sender)).status).toBe(409);
  });

  it("applies the contact point's size and attachment limits", async () => {
    const big = memoFor(CVR, { name: "v1.2-full", contactPointId: s.cpOther.id });
    await t.call("PATCH", `/v1/authorities/${CVR}/contact-points/${s.cpOther.id}`, s.admin, { maxSizeMb: 0.001, maxAttachments: 1 });
    const r = await submit(big.xml);
    expect(r.status).toBe(422);
    expect(r.json.issues.map((i: { code: string }) => i.code).sort()).toEqual(["too_large_for_contact_point", "too_many_attachments"]);
    expect(await count()).toBe(0);
  });
});

describe("bad input is refused clearly and stores nothing", () => {
  const cases: [string, () => string | Uint8Array, number, string][] = [
    ["malformed XML", () => '<memo:Message xmlns:memo="https://DigitalPost.dk/MeMo-1"><oops></memo:Message>', 400, "malformed_xml"],
    [
      "an XXE attempt",
      () => `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>${memoFor(CVR).xml.replace(/^[\s\S]*?\?>/, "")}`,
      400,
      "dtd_forbidden",
    ],
    [
      "an entity-expansion bomb",
      () => `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`,
      400,
      "dtd_forbidden",
    ],
    ["an unknown memoVersion", () => memoFor(CVR).xml.replace('memoVersion="1.2"', 'memoVersion="1.7"'), 422, "unknown_version"],
    [
      "a 1.1 message without memoSchVersion",
      () => memoFor(CVR, { name: "v1.1-minimum" }).xml.replace(/\s*memoSchVersion="[^"]*"/, ""),
      422,
      "",
    ],
    ["the MeMo 1.0 layout", () => memoFor(CVR).xml.replace(/\s*memoVersion="1.2"/, ""), 422, ""],
    [
      "a recipient CPR",
      () => sample("v1.2-minimum").replace("8C2EA15D-61FB-4BA9-9366-42F8B194C114", crypto.randomUUID()),
      422,
      "recipient_not_authority",
    ],
    ["an unknown authority", () => memoFor("87654325").xml, 422, "unknown_authority"],
    ["another authority's CVR", () => memoFor(OTHER_CVR).xml, 422, "unknown_authority"],
    ["a NEMSMS message", () => memoFor(CVR).xml.replace(">DIGITALPOST<", ">NEMSMS<"), 422, "nemsms_not_allowed"],
  ];
  it.each(cases)("%s", async (_name, body, status, code) => {
    const r = await submit(body());
    expect(r.status).toBe(status);
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    expect(Array.isArray(r.json.issues) && r.json.issues.length > 0).toBe(true);
    if (code) expect(r.json.issues.map((i: { code: string }) => i.code)).toContain(code);
    for (const i of r.json.issues) expect(i).toEqual({ path: expect.any(String), code: expect.any(String), message: expect.any(String) });
    expect(await count()).toBe(0);
  });

  it("a memo-message-uuid parameter that differs from the header", async () => {
    const r = await submit(memoFor(CVR).xml, s.sender, `?memo-message-uuid=${crypto.randomUUID()}`);
    expect(r.status).toBe(422);
    expect(r.json.issues[0].code).toBe("message_uuid_mismatch");
    expect(await count()).toBe(0);
  });

  it("a body over the size limit answers 413", async () => {
    const small = await createTestApp({ config: { maxBodyBytes: 2048 } });
    const ss = await seedAuthority(small);
    const r = await small.call("POST", "/v1/messages", ss.sender, memoFor(CVR, { name: "v1.2-full" }).xml, XML);
    expect(r.status).toBe(413);
    expect(r.json.code).toBe("payload_too_large");
  });

  it("a streamed body (no Content-Length) is counted as it arrives: over the limit 413, within it accepted", async () => {
    const small = await createTestApp({ config: { maxBodyBytes: 8192 } });
    const ss = await seedAuthority(small);
    const streamed = (xml: string) => {
      const bytes = new TextEncoder().encode(xml);
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += 1000) c.enqueue(bytes.subarray(i, i + 1000));
          c.close();
        },
      });
      return small.app.request("/v1/messages", {
        method: "POST",
        body,
        duplex: "half",
        headers: { authorization: `Bearer ${ss.sender}`, "content-type": "application/xml" },
      } as RequestInit);
    };
    const over = await streamed(memoFor(CVR, { name: "v1.2-full" }).xml);
    expect(over.status).toBe(413);
    expect(((await over.json()) as { code: string }).code).toBe("payload_too_large");
    expect(await small.db.selectFrom("messages").select("uuid").execute()).toEqual([]);
    const within = await streamed(memoFor(CVR).xml);
    expect(within.status).toBe(202);
  });

  it("works on a budget of body bytes: what does not fit waits its turn and is accepted, and every byte comes back", async () => {
    const tight = await createTestApp({ config: { intakeBudgetBytes: 20_000 } });
    const ts = await seedAuthority(tight);
    const docs = Array.from({ length: 5 }, () => memoFor(CVR, { name: "v1.2-full" }).xml);
    expect(new TextEncoder().encode(docs[0]!).length).toBeGreaterThan(10_000); // one at a time
    const answers = await Promise.all([...docs, "<memo:Message"].map((xml) => tight.call("POST", "/v1/messages", ts.sender, xml, XML)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 400]);
    expect(tight.deps.intakeBudget.inUse).toBe(0);
  });

  it("reports every problem at once", async () => {
    const xml = memoFor("87654325", { valueDate: "2027-01-30" }).xml.replace(">DIGITALPOST<", ">NEMSMS<");
    const r = await submit(xml, s.sender, `?memo-message-uuid=${crypto.randomUUID()}`);
    expect(r.json.issues.map((i: { code: string }) => i.code).sort()).toEqual([
      "message_uuid_mismatch",
      "nemsms_not_allowed",
      "unknown_authority",
      "value_date_too_far",
    ]);
  });
});
