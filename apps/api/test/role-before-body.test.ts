// A path the token's role may not use answers 404 (docs/api.md, "Tokens and roles"), even when its
// body would not pass validation: a sender or recipient key must not learn from a 422 that the
// path is there for someone else, and nothing changes either way.
import { describe, expect, it } from "vitest";
import { must } from "./support/reply.ts";
import { addPullSystem, CVR, createTestApp, seedAuthority } from "./support/test-app.ts";

const base = `/v1/authorities/${CVR}`;

describe("role before body under /v1/authorities/{cvr}", () => {
  it("a sender or recipient key, or a portal token without the capability, gets 404 for a bad body where an admin key gets 422", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const pull = await addPullSystem(t, s.admin);
    const bad: [string, string, unknown][] = [
      ["POST", `${base}/relocations`, { selection: 1 }],
      ["POST", `${base}/recipient-systems/${s.other.id}/signing-secret`, { graceHours: 999 }],
      ["PATCH", `${base}/recipient-systems/${s.other.id}`, { memoVersion: "9.9" }],
      ["POST", `${base}/contact-points`, { name: "" }],
      ["POST", `${base}/portal-sessions`, { capabilities: [] }],
      ["POST", `${base}/api-keys`, { role: "nobody" }],
      ["POST", `${base}/recipient-systems/${s.other.id}/retry-now`, { force: true }],
      ["POST", `${base}/recipient-systems/${s.other.id}/deactivate`, { reason: "x" }],
    ];
    for (const [method, path, body] of bad) {
      expect((await t.call(method, path, s.admin, body)).status, `${method} ${path} (admin)`).toBe(422);
      for (const key of [s.sender, pull.key]) {
        const r = await t.call(method, path, key, body);
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.json).toMatchObject({ code: "not_found", detail: `authority ${CVR} was not found` });
      }
    }
    // A portal token of the authority, without the capability a path wants: 404 as well; with it, the 422.
    const portal = async (capabilities: string[]) =>
      must(await t.call("POST", `${base}/portal-sessions`, s.admin, { capabilities, user: { name: "Vera" } }), 201).token as string;
    const view = await portal(["view"]);
    for (const [method, path, body] of bad) {
      const r = await t.call(method, path, view, body);
      expect(r.status, `${method} ${path} (view token)`).toBe(404);
    }
    expect((await t.call("POST", `${base}/relocations`, await portal(["relocate"]), { selection: 1 })).status).toBe(422);
    // Reads too, and nothing was changed by the refused writes.
    for (const key of [s.sender, pull.key]) expect((await t.call("GET", `${base}/status`, key)).status).toBe(404);
    expect(must(await t.call("GET", `${base}/recipient-systems/${s.other.id}`, s.admin), 200)).toMatchObject({
      previousSecretValidUntil: null,
    });
  });
});
