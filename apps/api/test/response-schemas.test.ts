import { describe, expect, it } from "vitest";
import {
  ApiKey,
  ApiKeyInfo,
  AuthorityStatus,
  Clock,
  ClockAdvance,
  ContactPoint,
  DeactivatedSystem,
  DryRunPlan,
  Event,
  Health,
  Message,
  MessageDetail,
  Notification,
  pageOf,
  PortalSession,
  PullMessage,
  RecalledMessage,
  ReceiptAnswer,
  RecipientSystem,
  Relocation,
  SigningSecret,
  RelocationItem,
  RelocationTarget,
  Session,
  TestDelivery,
  VirkMessageDetail,
  VirkPage,
} from "@postvej/contract";
import { memoFor } from "./support/memo-fixtures.ts";
import { inlineRefs } from "./support/openapi.ts";
import { CVR, OPERATOR, createTestApp, seedAuthority } from "./support/test-app.ts";

describe("the documented response schemas in /openapi.json", () => {
  it("match what the routes answer", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const m = memoFor(CVR, { contactPointId: s.cpOther.id, valueDate: "2026-12-01" });
    const check = (schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, value: unknown) => {
      const r = schema.safeParse(value);
      expect(r.success, JSON.stringify(r.error)).toBe(true);
    };
    check(Message, (await t.call("POST", "/v1/messages", s.sender, m.xml, { "content-type": "application/xml" })).json);
    check(MessageDetail, (await t.call("GET", `/v1/messages/${m.uuid}`, s.sender)).json);
    check(RecalledMessage, (await t.call("POST", `/v1/messages/${m.uuid}/recall`, s.sender)).json);
    check(RecipientSystem, s.primary);
    check(pageOf(RecipientSystem), (await t.call("GET", `/v1/authorities/${CVR}/recipient-systems`, s.admin)).json);
    // Keys and signing secrets: made, listed, revoked, rotated.
    const key = (
      await t.call("POST", `/v1/authorities/${CVR}/api-keys`, s.admin, {
        role: "sender",
        label: "schemas",
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      })
    ).json;
    check(ApiKey, key);
    check(pageOf(ApiKeyInfo), (await t.call("GET", `/v1/authorities/${CVR}/api-keys`, s.admin)).json);
    check(ApiKeyInfo, (await t.call("DELETE", `/v1/authorities/${CVR}/api-keys/${key.id}`, s.admin)).json);
    check(
      SigningSecret,
      (await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}/signing-secret`, s.admin, { graceHours: 1 })).json,
    );
    check(RecipientSystem, (await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`, s.admin)).json);
    check(ContactPoint, s.cpOther);
    check(pageOf(ContactPoint), (await t.call("GET", `/v1/authorities/${CVR}/contact-points`, s.admin)).json);
    check(AuthorityStatus, (await t.call("GET", `/v1/authorities/${CVR}/status`, s.admin)).json);
    // Post into Virk (both systems deactivated), then out again to the reactivated one.
    // An answer shows the row as the change left it: an hour on, updatedAt is the change's time, as a read shows.
    const later = new Date(Date.parse((await t.deps.clock.now()).toISOString()) + 3_600_000).toISOString();
    t.clock.set(later);
    const deactivated = (await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/deactivate`, s.admin)).json;
    check(DeactivatedSystem, deactivated);
    expect(deactivated.updatedAt).toBe(later);
    const { moved: _moved, destination: _destination, ...system } = deactivated;
    expect((await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}`, s.admin)).json).toEqual(system);
    check(DeactivatedSystem, (await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}/deactivate`, s.admin)).json);
    const v = memoFor(CVR);
    await t.call("POST", "/v1/messages", s.sender, v.xml, { "content-type": "application/xml" });
    check(VirkPage, (await t.call("GET", `/v1/authorities/${CVR}/virk/messages`, s.admin)).json);
    check(VirkMessageDetail, (await t.call("GET", `/v1/authorities/${CVR}/virk/messages/${v.uuid}`, s.admin)).json);
    check(pageOf(RelocationTarget), (await t.call("GET", `/v1/authorities/${CVR}/relocation-targets`, s.admin)).json);
    check(RecipientSystem, (await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/reactivate`, s.admin)).json);
    const body = { selection: { all: true }, targetContactPointId: s.cpOther.id, preferOriginal: false };
    check(DryRunPlan, (await t.call("POST", `/v1/authorities/${CVR}/relocations`, s.admin, { ...body, dryRun: true })).json);
    const moved = await t.call("POST", `/v1/authorities/${CVR}/relocations`, s.admin, { ...body, dryRun: false });
    expect(moved.status).toBe(202);
    check(Relocation, moved.json);
    check(pageOf(Relocation), (await t.call("GET", `/v1/authorities/${CVR}/relocations`, s.admin)).json);
    const items = (await t.call("GET", `/v1/authorities/${CVR}/relocations/${moved.json.id}/items`, s.admin)).json;
    expect(items.items.length).toBeGreaterThan(0);
    check(pageOf(RelocationItem), items);
    const evenLater = new Date(Date.parse(later) + 3_600_000).toISOString();
    t.clock.set(evenLater);
    const primary = (await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/primary`, s.admin)).json;
    check(RecipientSystem, primary);
    expect(primary).toEqual((await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}`, s.admin)).json);
    expect(primary.updatedAt).toBe(evenLater);
    check(TestDelivery, (await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/test`, s.admin)).json);
    const events = (await t.call("GET", `/v1/authorities/${CVR}/events`, s.admin)).json;
    expect(events.items.length).toBeGreaterThan(0);
    check(pageOf(Event), events);
    const notifications = (await t.call("GET", `/v1/authorities/${CVR}/notifications`, s.admin)).json;
    expect(notifications.items.length).toBeGreaterThan(0);
    check(pageOf(Notification), notifications);
    // The pull protocol: a recipient key of a REST_PULL system lists and receipts.
    const pull = (
      await t.call("POST", `/v1/authorities/${CVR}/recipient-systems`, s.admin, {
        name: "pull",
        protocol: "REST_PULL",
        technicalContact: { name: "T", email: "t@example.dk" },
        businessContactEmail: "b@example.dk",
      })
    ).json;
    const pullCp = (
      await t.call("POST", `/v1/authorities/${CVR}/contact-points`, s.admin, {
        name: "Pull CP",
        recipientSystemId: pull.id,
        visible: true,
        audiences: ["authorities"],
      })
    ).json;
    const pullKey = (
      await t.call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "recipient", recipientSystemId: pull.id, label: "pull" })
    ).json.key;
    const p = memoFor(CVR, { contactPointId: pullCp.id });
    await t.call("POST", "/v1/messages", s.sender, p.xml, { "content-type": "application/xml" });
    const waiting = (await t.call("GET", "/v1/recipient/messages", pullKey)).json;
    expect(waiting.items.length).toBe(1);
    check(pageOf(PullMessage), waiting);
    expect((await t.call("GET", `/v1/recipient/messages/${p.uuid}`, pullKey)).status).toBe(200);
    check(ReceiptAnswer, (await t.call("POST", `/v1/recipient/messages/${p.uuid}/receipt`, pullKey, { status: "COMPLETED" })).json);
    // Sessions, health and the simulated clock.
    const minted = await t.call("POST", `/v1/authorities/${CVR}/portal-sessions`, s.admin, {
      capabilities: ["view"],
      user: { name: "Karin" },
    });
    check(PortalSession, minted.json);
    for (const token of [minted.json.token, s.admin, OPERATOR]) check(Session, (await t.call("GET", "/v1/session", token)).json);
    check(Health, (await t.call("GET", "/healthz", null)).json);
    check(Clock, (await t.call("GET", "/v1/dev/clock", OPERATOR)).json);
    check(ClockAdvance, (await t.call("POST", "/v1/dev/clock", OPERATOR, { advance: "PT1M" })).json);
    const doc = inlineRefs((await t.call("GET", "/openapi.json", null)).json);
    expect(
      doc.paths["/v1/authorities/{cvr}/status"].get.responses["200"].content["application/json"].schema.properties.virkCount,
    ).toBeDefined();
    expect(
      doc.paths["/v1/recipient/messages"].get.responses["200"].content["application/json"].schema.properties.items.items.properties
        .memoVersion,
    ).toBeDefined();
    expect(
      doc.paths["/v1/authorities/{cvr}/events"].get.responses["200"].content["application/json"].schema.properties.items.items.properties
        .data,
    ).toBeDefined();
  });
});
