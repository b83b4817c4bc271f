// Every JSON request body refuses a field it does not know, at the top and in every nested object:
// 422 invalid_input naming the field, nothing changed. The walk goes over the served OpenAPI
// document, so a new JSON-body route that ignores unknown fields (or is left out here) fails it.
import { beforeEach, describe, expect, it } from "vitest";
import { inlineRefs } from "./support/openapi.ts";
import { must } from "./support/reply.ts";
import { addPullSystem, CVR, OPERATOR, createTestApp, seedAuthority, type TestApp } from "./support/test-app.ts";

let t: TestApp;
let tokens: { admin: string; sender: string; pull: string };
let ids: { system: string; contactPoint: string };
beforeEach(async () => {
  t = await createTestApp();
  const s = await seedAuthority(t);
  const pull = await addPullSystem(t, s.admin);
  tokens = { admin: s.admin, sender: s.sender, pull: pull.key };
  ids = { system: s.primary.id, contactPoint: s.cpPrimary.id };
});

type JsonOperation = { method: string; path: string; operationId: string; schema: any };

/** Every operation of the served document whose request body is JSON, with its body schema inlined. */
async function jsonOperations(): Promise<JsonOperation[]> {
  const doc = inlineRefs(must(await t.call("GET", "/openapi.json", null), 200));
  const ops: JsonOperation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const schema = op?.requestBody?.content?.["application/json"]?.schema;
      if (schema) ops.push({ method: method.toUpperCase(), path, operationId: op.operationId, schema });
    }
  }
  return ops;
}

/** The token that may use the path (others are refused before the body is read), and the path with real ids. */
function callFor(op: JsonOperation): { token: string; url: string } {
  const token =
    op.path === "/v1/authorities" || op.path.startsWith("/v1/dev/")
      ? OPERATOR
      : op.path.startsWith("/v1/recipient/")
        ? tokens.pull
        : op.path === "/v1/receipt-endpoint"
          ? tokens.sender
          : tokens.admin;
  const id = op.path.includes("/contact-points/") ? ids.contactPoint : ids.system;
  const url = op.path.replace("{cvr}", CVR).replace("{id}", id).replace("{uuid}", crypto.randomUUID());
  return { token, url };
}

/** The object-valued properties of a body schema (a nullable one too): where a nested unknown field can go. */
function nestedObjects(schema: any): string[] {
  const isObject = (s: any): boolean => s?.type === "object" || (s?.anyOf ?? []).some(isObject);
  return Object.entries<any>(schema.properties ?? {})
    .filter(([, s]) => isObject(s))
    .map(([name]) => name);
}

/** The operations that take no body: documented as an optional body with no fields. */
const BODYLESS = [
  "revokeApiKey",
  "makeRecipientSystemPrimary",
  "deactivateRecipientSystem",
  "reactivateRecipientSystem",
  "testRecipientSystem",
  "retryRecipientSystemNow",
  "recallMessage",
  "redeliverMessage",
  "stopRelocation",
  "deleteReceiptEndpoint",
];

describe("unknown fields in JSON bodies", () => {
  it("every JSON-body operation refuses an unknown field, at the top and nested, naming it", async () => {
    const ops = await jsonOperations();
    expect(ops.length).toBeGreaterThanOrEqual(12);
    const refused: string[] = [];
    for (const op of ops) {
      const { token, url } = callFor(op);
      const bodies: [unknown, string][] = [[{ unexpectedField: 1 }, "unexpectedField"]];
      for (const name of nestedObjects(op.schema)) bodies.push([{ [name]: { unexpectedField: 1 } }, `${name}.unexpectedField`]);
      for (const [body, path] of bodies) {
        const r = await t.call(op.method, url, token, body);
        expect(r.status, `${op.method} ${op.path} ${JSON.stringify(body)}: ${r.text}`).toBe(422);
        expect(r.json.code).toBe("invalid_input");
        expect(r.json.issues, `${op.method} ${op.path}`).toContainEqual({
          path,
          code: "unrecognized_keys",
          message: 'unknown field "unexpectedField"',
        });
        refused.push(`${op.method} ${op.path} ${path}`);
      }
    }
    // the nested objects the contract has today are among them
    expect(refused).toEqual(
      expect.arrayContaining([
        "POST /v1/authorities/{cvr}/recipient-systems technicalContact.unexpectedField",
        "PATCH /v1/authorities/{cvr}/recipient-systems/{id} technicalContact.unexpectedField",
        "POST /v1/authorities/{cvr}/portal-sessions user.unexpectedField",
        "POST /v1/authorities/{cvr}/relocations selection.unexpectedField",
        "POST /v1/authorities/{cvr}/recipient-systems/{id}/deactivate unexpectedField",
        "POST /v1/messages/{uuid}/recall unexpectedField",
      ]),
    );
  });

  it("the document says so: every JSON body schema, and every object in it, has additionalProperties false", async () => {
    for (const op of await jsonOperations()) {
      expect(op.schema.additionalProperties, `${op.method} ${op.path}`).toBe(false);
      for (const name of nestedObjects(op.schema)) {
        const s = op.schema.properties[name];
        const objects = [s, ...(s.anyOf ?? [])].filter((x: any) => x?.type === "object");
        for (const o of objects) expect(o.additionalProperties, `${op.method} ${op.path} ${name}`).toBe(false);
      }
    }
  });

  it("a valid body with one unknown field more changes nothing", async () => {
    const before = await t.db.selectFrom("authorities").select("cvr").execute();
    const r = await t.call("POST", "/v1/authorities", OPERATOR, { cvr: "12345674", name: "Ny", colour: "red" });
    expect(r.status).toBe(422);
    expect(r.json.issues).toEqual([{ path: "colour", code: "unrecognized_keys", message: 'unknown field "colour"' }]);
    expect(await t.db.selectFrom("authorities").select("cvr").execute()).toEqual(before);
    const clock = await t.call("POST", "/v1/dev/clock", OPERATOR, { advance: "P1D", dryRun: true });
    expect(clock.status).toBe(422);
    expect((await t.clock.now()).toISOString()).toBe("2026-11-27T09:00:00.000Z");
  });
});

describe("operations that take no body", () => {
  it("every write the document lists takes a body; those without fields are the actions, documented as optional and empty", async () => {
    const doc = inlineRefs(must(await t.call("GET", "/openapi.json", null), 200));
    const writes = Object.values<any>(doc.paths).flatMap((item) =>
      Object.entries<any>(item)
        .filter(([m]) => ["post", "put", "patch", "delete"].includes(m))
        .map(([, op]) => op),
    );
    expect(writes.filter((op) => !op.requestBody).map((op) => op.operationId)).toEqual([]);
    const empty = (await jsonOperations()).filter((op) => Object.keys(op.schema.properties ?? {}).length === 0);
    expect(empty.map((op) => op.operationId).sort()).toEqual([...BODYLESS].sort());
    for (const op of empty) expect(doc.paths[op.path][op.method.toLowerCase()].requestBody.required, op.operationId).toBe(false);
  });

  it("none, an empty body or {} is taken; any field, another JSON value or another media type is refused and changes nothing", async () => {
    const deactivate = `/v1/authorities/${CVR}/recipient-systems/${ids.system}/deactivate`;
    const state = async () => must(await t.call("GET", `/v1/authorities/${CVR}/recipient-systems/${ids.system}`, tokens.admin), 200).state;
    const refused: [unknown, Record<string, string>, number, string][] = [
      [{ reason: "maintenance", force: true }, {}, 422, "reason"],
      [[], {}, 422, ""],
      ["null", { "content-type": "application/json" }, 422, ""],
      ["please", { "content-type": "text/plain" }, 415, ""],
      ["{", { "content-type": "application/json" }, 422, ""],
    ];
    for (const [body, headers, status, path] of refused) {
      const r = await t.call("POST", deactivate, tokens.admin, body, headers);
      expect(r.status, `${JSON.stringify(body)}: ${r.text}`).toBe(status);
      if (path) expect(r.json.issues.map((i: { path: string }) => i.path)).toEqual(["reason", "force"]);
      expect(await state()).toBe("active");
    }
    // A sender key learns nothing from a bad body: the path is not its own (404, as for a good one).
    expect((await t.call("POST", deactivate, tokens.sender, { reason: "x" })).status).toBe(404);
    expect(must(await t.call("POST", deactivate, tokens.admin, {}), 200).state).toBe("deactivated");
    const reactivate = deactivate.replace("deactivate", "reactivate");
    expect(must(await t.call("POST", reactivate, tokens.admin), 200).state).toBe("active");
    expect(must(await t.call("POST", deactivate, tokens.admin, "", { "content-type": "application/json" }), 200).state).toBe("deactivated");
  });
});
