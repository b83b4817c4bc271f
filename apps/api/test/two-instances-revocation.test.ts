// A revoked API key stops working on every instance within seconds, whatever an instance's key
// cache holds (issue 12 §3): two Node servers on one sqld, the key cached on the second, revoked on
// the first.
import { afterAll, describe, expect, it } from "vitest";
import { startSqld, type Sqld } from "../../../packages/db/test/sqld.ts";
import { REVOCATION_CHECK_MS } from "../src/auth.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { callServer, startNodeServer, stopNodeServer, type NodeServer } from "./support/node-server.ts";
import { must } from "./support/reply.ts";

const OPERATOR = "op_two_instances_revocation_0123456789";
const CVR = "29189846";

describe("two instances on one database, a key revoked on one", () => {
  let sqld: Sqld | undefined;
  let servers: NodeServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => stopNodeServer(s)));
    await sqld?.stop();
  });

  it("answers 401 on the other within the bound while intake goes on there", async () => {
    sqld = await startSqld();
    // The simulated clock reads the database: a route reading it inside its transaction would hang here.
    const env = {
      LIBSQL_URL: sqld.url,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_CLOCK: "simulated",
      POSTVEJ_MAIL_URL: "file:/dev/null/none",
    };
    servers = await Promise.all([startNodeServer(env), startNodeServer(env)]);
    const [one, two] = servers as [NodeServer, NodeServer];
    await must(callServer(one.base, "POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "To instanser" }), 201);
    const admin = (
      await must(callServer(one.base, "POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "admin", label: "admin" }), 201)
    ).key as string;
    const sender = await must(
      callServer(one.base, "POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "sender", label: "sender" }),
      201,
    );
    await must(
      callServer(one.base, "POST", `/v1/authorities/${CVR}/recipient-systems`, admin, {
        name: "pull",
        protocol: "REST_PULL",
        technicalContact: { name: "T", email: "t@example.dk" },
        businessContactEmail: "b@example.dk",
      }),
      201,
    );
    const send = (s: NodeServer) => callServer(s.base, "POST", "/v1/messages", sender.key, memoFor(CVR).xml, "application/xml");
    // The sender key works on both, and is in instance two's cache (used over more than a revocation check).
    for (let i = 0; i < 10; i++) {
      expect((await send(two)).status).toBe(202);
      await new Promise((r) => setTimeout(r, REVOCATION_CHECK_MS / 5));
    }
    expect((await send(one)).status).toBe(202);

    // A rotation on the same database and clock (its event is on the domain clock, read outside the transaction).
    const system = (
      await must(
        callServer(two.base, "POST", `/v1/authorities/${CVR}/recipient-systems`, admin, {
          name: "push",
          protocol: "REST_PUSH",
          endpoint: "http://127.0.0.1:9/x",
          technicalContact: { name: "T", email: "t@example.dk" },
          businessContactEmail: "b@example.dk",
        }),
        201,
      )
    ).id as string;
    await must(
      callServer(two.base, "POST", `/v1/authorities/${CVR}/recipient-systems/${system}/signing-secret`, admin, { graceHours: 1 }),
      201,
    );

    const revoked = await must(callServer(one.base, "DELETE", `/v1/authorities/${CVR}/api-keys/${sender.id}`, admin), 200);
    const at = Date.now();
    expect((await send(one)).status).toBe(401);
    const statuses: number[] = [];
    while (Date.now() - at < 10_000) {
      const r = await send(two);
      statuses.push(r.status);
      if (r.status === 401) {
        expect(r.json).toMatchObject({ code: "unauthorized", detail: "the API key was revoked" });
        break;
      }
      expect(r.status).toBe(202);
    }
    const took = Date.now() - at;
    console.log(`revocation reached instance two after ${took} ms (${statuses.length - 1} intakes accepted there meanwhile)`);
    expect(statuses.at(-1)).toBe(401);
    expect(took).toBeLessThanOrEqual(2 * REVOCATION_CHECK_MS + 1000);
    // Both list it revoked, at the same time.
    for (const s of [one, two]) {
      const listed = (await must(callServer(s.base, "GET", `/v1/authorities/${CVR}/api-keys`, admin), 200)).items.find(
        (k: { id: string }) => k.id === sender.id,
      );
      expect(listed.revokedAt).toBe(revoked.revokedAt);
    }
  }, 120_000);
});
