// Names and labels people give (authorities, keys, systems and their contacts, contact points,
// portal users) show in panels, logs and e-mails: a control character in one (a NUL, a newline)
// is refused with the field named, and nothing is stored.
import { beforeEach, describe, expect, it } from "vitest";
import { must } from "./support/reply.ts";
import { CVR, createTestApp, seedAuthority, type TestApp } from "./support/test-app.ts";

let t: TestApp;
let s: Awaited<ReturnType<typeof seedAuthority>>;
beforeEach(async () => {
  t = await createTestApp();
  s = await seedAuthority(t);
});

const refused = (r: { status: number; json: { code: string; issues: { path: string; message: string }[] } }, path: string) => {
  expect(r.status).toBe(422);
  expect(r.json.code).toBe("invalid_input");
  expect(r.json.issues).toContainEqual(expect.objectContaining({ path, message: "must not contain control characters" }));
};

describe("names and labels", () => {
  it("refuses a control character in a key label, a system's or contact point's name, a contact's name", async () => {
    refused(await t.call("POST", `/v1/authorities/${CVR}/api-keys`, s.admin, { role: "sender", label: "ops\u0000key" }), "label");
    const keys = must(await t.call("GET", `/v1/authorities/${CVR}/api-keys`, s.admin), 200);
    expect(keys.items.some((k: { label: string }) => k.label.includes("\u0000"))).toBe(false);

    const system = `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`;
    refused(await t.call("PATCH", system, s.admin, { name: "line\nbreak" }), "name");
    refused(
      await t.call("PATCH", system, s.admin, { technicalContact: { name: "Dr\rift", email: "drift@example.dk" } }),
      "technicalContact.name",
    );
    expect(must(await t.call("GET", system, s.admin), 200).name).toBe("primary");

    const cp = `/v1/authorities/${CVR}/contact-points/${s.cpPrimary.id}`;
    refused(await t.call("PATCH", cp, s.admin, { name: "tab\there" }), "name");
    expect(must(await t.call("GET", cp, s.admin), 200).name).toBe(s.cpPrimary.name);
  });

  it("keeps letters of every script, and trims the spaces around a name", async () => {
    const system = `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}`;
    expect(must(await t.call("PATCH", system, s.admin, { name: "  Børne- og Ungeforvaltningen – Ærø  " }), 200).name).toBe(
      "Børne- og Ungeforvaltningen – Ærø",
    );
  });
});
