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

type JsonOperation = { method: string; path: string; schema: any };

/** Every operation of the served document whose request body is JSON, with its body schema inlined. */
async function jsonOperations(): Promise<JsonOperation[]> {
  const doc = inlineRefs(must(await t.call("GET", "/openapi.json", null), 200));
  const ops: JsonOperation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const schema = op?.requestBody?.content?.["application/json"]?.schema;
      if (schema) ops.push({ method: method.toUpperCase(), path, schema });
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
