import { describe, expect, it } from "vitest";
import {
  contactPointSchema, listOf, messageAnswerSchema, messageDetailSchema, recipientSystemSchema, relocationItemSchema,
  relocationPlanSchema, relocationSchema, statusSchema, virkListSchema,
} from "../src/response-schemas.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { CVR, createTestApp, seedAuthority } from "./support/test-app.ts";

describe("the documented response schemas in /openapi.json", () => {
  it("match what the routes answer", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const m = memoFor(CVR, { contactPointId: s.cpOther.id, valueDate: "2026-12-01" });
    const check = (schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, value: unknown) => {
      const r = schema.safeParse(value);
      expect(r.success, JSON.stringify(r.error)).toBe(true);
    };
    check(messageAnswerSchema, (await t.call("POST", "/v1/messages", s.sender, m.xml, { "content-type": "application/xml" })).json);
    check(messageDetailSchema, (await t.call("GET", `/v1/messages/${m.uuid}`, s.sender)).json);
    check(recipientSystemSchema, s.primary);
    check(listOf(recipientSystemSchema), (await t.call("GET", `/v1/authorities/${CVR}/recipient-systems`, s.admin)).json);
    check(contactPointSchema, s.cpOther);
    check(listOf(contactPointSchema), (await t.call("GET", `/v1/authorities/${CVR}/contact-points`, s.admin)).json);
    check(statusSchema, (await t.call("GET", `/v1/authorities/${CVR}/status`, s.admin)).json);
    // Post into Virk (both systems deactivated), then out again to the reactivated one.
    await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/deactivate`, s.admin);
    await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}/deactivate`, s.admin);
    const v = memoFor(CVR);
    await t.call("POST", "/v1/messages", s.sender, v.xml, { "content-type": "application/xml" });
    check(virkListSchema, (await t.call("GET", `/v1/authorities/${CVR}/virk/messages`, s.admin)).json);
    await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.other.id}/reactivate`, s.admin);
    const body = { selection: { all: true }, targetContactPointId: s.cpOther.id, preferOriginal: false };
    check(relocationPlanSchema, (await t.call("POST", `/v1/authorities/${CVR}/relocations`, s.admin, { ...body, dryRun: true })).json);
    const moved = await t.call("POST", `/v1/authorities/${CVR}/relocations`, s.admin, { ...body, dryRun: false });
    expect(moved.status).toBe(202);
    check(relocationSchema, moved.json);
    check(listOf(relocationSchema), (await t.call("GET", `/v1/authorities/${CVR}/relocations`, s.admin)).json);
    const items = (await t.call("GET", `/v1/authorities/${CVR}/relocations/${moved.json.id}/items`, s.admin)).json;
    expect(items.items.length).toBeGreaterThan(0);
    check(listOf(relocationItemSchema), items);
    const doc = (await t.call("GET", "/openapi.json", null)).json;
    expect(doc.paths["/v1/authorities/{cvr}/status"].get.responses["200"].content["application/json"].schema.properties.virkCount).toBeDefined();
  });
});
