// Every GET refuses a query parameter it does not name, as every JSON body refuses an unknown
// field: 422 invalid_input naming it, nothing changed. The walk goes over the served OpenAPI
// document, so a new GET route without a query check (`valid("query", …)` or `noQuery()`) fails it.
import { beforeAll, describe, expect, it } from "vitest";
import { inlineRefs } from "./support/openapi.ts";
import { must } from "./support/reply.ts";
import { addPullSystem, CVR, OPERATOR, createTestApp, seedAuthority, type TestApp } from "./support/test-app.ts";

let t: TestApp;
let tokens: { admin: string; sender: string; pull: string };
let ids: { system: string; contactPoint: string; relocation: string };
beforeAll(async () => {
  t = await createTestApp();
  const s = await seedAuthority(t);
  const pull = await addPullSystem(t, s.admin);
  tokens = { admin: s.admin, sender: s.sender, pull: pull.key };
  const relocation = must(
    await t.call("POST", `/v1/authorities/${CVR}/relocations`, s.admin, {
      selection: { messageUUIDs: [crypto.randomUUID()] },
      targetContactPointId: s.cpOther.id,
      preferOriginal: false,
      dryRun: false,
    }),
    202,
  );
  ids = { system: s.primary.id, contactPoint: s.cpPrimary.id, relocation: relocation.id };
});

type GetOperation = { path: string; operationId: string; query: string[] };

/** Every GET of the served document, with the query parameters it declares. */
async function getOperations(): Promise<GetOperation[]> {
  const doc = inlineRefs(must(await t.call("GET", "/openapi.json", null), 200));
  return Object.entries<any>(doc.paths)
    .filter(([, item]) => item.get)
    .map(([path, item]) => ({
      path,
      operationId: item.get.operationId,
      query: (item.get.parameters ?? []).filter((p: any) => p.in === "query").map((p: any) => p.name),
    }));
}

/** The token that may use the path, and the path with real ids. */
function callFor(op: GetOperation): { token: string | null; url: string } {
  const token =
    op.path === "/healthz"
      ? null
      : op.path.startsWith("/v1/dev/")
        ? OPERATOR
        : op.path.startsWith("/v1/recipient/")
          ? tokens.pull
          : op.path === "/v1/receipt-endpoint" || op.path === "/v1/receipts" || op.path === "/v1/messages/{uuid}"
            ? tokens.sender
            : tokens.admin;
  const id = op.path.includes("/contact-points/") ? ids.contactPoint : op.path.includes("/relocations/") ? ids.relocation : ids.system;
  const url = op.path.replace("{cvr}", CVR).replace("{id}", id).replace("{uuid}", crypto.randomUUID());
  return { token, url };
}

describe("unknown query parameters", () => {
  it("every GET operation refuses a parameter it does not name with 422, naming it", async () => {
    const ops = await getOperations();
    expect(ops.length).toBeGreaterThanOrEqual(20);
    const wrong: string[] = [];
    for (const op of ops) {
      const { token, url } = callFor(op);
      const r = await t.call("GET", `${url}?unexpectedParam=1`, token);
      const named = r.json?.issues?.some(
        (i: any) =>
          i.path === "unexpectedParam" && i.code === "unrecognized_keys" && i.message === 'unknown query parameter "unexpectedParam"',
      );
      if (r.status !== 422 || r.json?.code !== "invalid_input" || !named) wrong.push(`${op.operationId} ${op.path}: ${r.status} ${r.text}`);
    }
    expect(wrong).toEqual([]);
  });

  it("the document names a 422 for every GET, and the declared parameters are still taken", async () => {
    const doc = must(await t.call("GET", "/openapi.json", null), 200);
    for (const op of await getOperations()) expect(doc.paths[op.path].get.responses["422"], op.path).toBeDefined();
    const events = must(
      await t.call("GET", `/v1/authorities/${CVR}/events?limit=2&type=received&recipientSystemId=${ids.system}`, tokens.admin),
      200,
    );
    expect(events.items).toEqual([]);
    const items = must(
      await t.call("GET", `/v1/authorities/${CVR}/relocations/${ids.relocation}/items?outcome=skipped&limit=1`, tokens.admin),
      200,
    );
    expect(items.items).toHaveLength(1);
  });

  it("a known parameter beside an unknown one: only the unknown is named; every unknown one is named; nothing changes", async () => {
    const r = await t.call("GET", `/v1/authorities/${CVR}/events?limit=1&colour=red&size=2`, tokens.admin);
    expect(r.status).toBe(422);
    expect(r.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(r.json.issues).toEqual([
      { path: "colour", code: "unrecognized_keys", message: 'unknown query parameter "colour"' },
      { path: "size", code: "unrecognized_keys", message: 'unknown query parameter "size"' },
    ]);
    // With a bad known one too, both are named.
    const both = await t.call("GET", `/v1/authorities/${CVR}/events?limit=0&colour=red`, tokens.admin);
    expect(both.json.issues.map((i: { path: string }) => i.path)).toEqual(["colour", "limit"]);
    // Query names are case-sensitive: `Limit` is not `limit`.
    expect((await t.call("GET", `/v1/authorities/${CVR}/status?Limit=1`, tokens.admin)).status).toBe(422);
    const before = (await t.clock.now()).toISOString();
    expect((await t.call("GET", "/v1/dev/clock?advance=P1D", OPERATOR)).status).toBe(422);
    expect((await t.clock.now()).toISOString()).toBe(before);
  });

  it("a token that may not use the path still learns nothing: another authority's path answers 404 first", async () => {
    const r = await t.call("GET", `/v1/authorities/12345674/status?unexpectedParam=1`, tokens.admin);
    expect(r.status).toBe(404);
  });
});
