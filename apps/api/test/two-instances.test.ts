// Two Node servers sharing one sqld, on the simulated clock: a whole seven-day episode with intake
// running while the clock is advanced, on either instance. Every message is delivered exactly once,
// and every push verifies with the Standard Webhooks library at the receiver's real clock.
import { afterAll, describe, expect, it } from "vitest";
import { startSqld, type Sqld } from "../../../packages/db/test/sqld.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { callServer, startNodeServer, stopNodeServer, type NodeServer } from "./support/node-server.ts";
import { startRecipientServer } from "./support/recipient-server.ts";
import { must } from "./support/reply.ts";

const OPERATOR = "op_two_instances_test_0123456789";
const CVR = "29189846";

describe("two instances on one database, the simulated clock advanced while post arrives", () => {
  let sqld: Sqld | undefined;
  let servers: NodeServer[] = [];
  let receiver: Awaited<ReturnType<typeof startRecipientServer>> | undefined;
  afterAll(async () => {
    await Promise.all(servers.map((s) => stopNodeServer(s)));
    await receiver?.close();
    await sqld?.stop();
  });

  it("a seven-day episode delivers every message exactly once, each push verifying at the real clock", async () => {
    sqld = await startSqld();
    receiver = await startRecipientServer();
    const env = {
      LIBSQL_URL: sqld.url,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_CLOCK: "simulated",
      POSTVEJ_MAIL_URL: "file:/dev/null/none",
    };
    // Both start at once against the empty database (the migration lock lets one migrate).
    servers = await Promise.all([startNodeServer(env), startNodeServer(env)]);
    const [one, two] = servers as [NodeServer, NodeServer];
    const call = (s: NodeServer, method: string, path: string, token: string, body?: unknown, type?: string) =>
      callServer(s.base, method, path, token, body, type);

    await must(call(one, "POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "To instanser" }), 201);
    const admin = (await must(call(one, "POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "admin", label: "admin" }), 201))
      .key as string;
    const sender = (await must(call(two, "POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "sender", label: "sender" }), 201))
      .key as string;
    const ids: Record<string, string> = {};
    const cps: Record<string, string> = {};
    for (const name of ["P", "A", "B"]) {
      const s = await must(
        call(one, "POST", `/v1/authorities/${CVR}/recipient-systems`, admin, {
          name,
          protocol: "REST_PUSH",
          endpoint: receiver.url(`/${name}`),
          memoVersion: "1.2",
          technicalContact: { name: `T ${name}`, email: `t-${name}@example.dk` },
          businessContactEmail: `b-${name}@example.dk`,
        }),
        201,
      );
      ids[name] = s.id;
      // A is down for the whole episode; P (the primary) and B take everything.
      receiver.register(`/${name}`, s.signingSecret, name === "A" ? 503 : 204);
      cps[name] = (
        await must(
          call(one, "POST", `/v1/authorities/${CVR}/contact-points`, admin, {
            name: `CP ${name}`,
            recipientSystemId: s.id,
            visible: true,
            audiences: ["authorities"],
          }),
          201,
        )
      ).id;
    }

    const sent: string[] = [];
    const send = async (s: NodeServer, to: string) => {
      const m = memoFor(CVR, { contactPointId: cps[to]! });
      const r = await call(s, "POST", "/v1/messages", sender, m.xml, "application/xml");
      if (r.status !== 202) throw new Error(`intake: ${r.status} ${r.text}`);
      sent.push(m.uuid);
    };
    // Eight days in steps of six hours, each advance on one instance while both take post.
    for (let step = 0; step < 32; step++) {
      const [advancer, other] = step % 2 === 0 ? [one, two] : [two, one];
      await Promise.all([
        must(call(advancer, "POST", "/v1/dev/clock", OPERATOR, { advance: "PT6H" }), 200),
        send(other, "A"),
        send(advancer, "B"),
        send(other, "P"),
        send(advancer, "P"),
      ]);
    }
    await Promise.all([
      must(call(one, "POST", "/v1/dev/clock", OPERATOR, { advance: "PT1H" }), 200),
      must(call(two, "POST", "/v1/dev/clock", OPERATOR, { advance: "PT1H" }), 200),
    ]);

    expect((await must(call(two, "GET", `/v1/authorities/${CVR}/recipient-systems/${ids.A}`, admin), 200)).state).toBe("deactivated");
    const states = await Promise.all(
      sent.map(async (uuid) => (await must(call(one, "GET", `/v1/messages/${uuid}`, admin), 200)).state as string),
    );
    expect(states.filter((s) => s !== "delivered")).toEqual([]);
    // Exactly once: one 2xx answer per message, over both instances; and no push was refused for its signature.
    const accepted = new Map<string, number>();
    for (const h of receiver.hits) if (h.status < 300) accepted.set(h.uuid, (accepted.get(h.uuid) ?? 0) + 1);
    expect([...accepted.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(new Set(accepted.keys())).toEqual(new Set(sent));
    expect(receiver.badSignatures).toEqual([]);
    // A's post went to the primary; A itself was tried (and refused) on the way.
    expect(receiver.hits.some((h) => h.path === "/A")).toBe(true);
  }, 240_000);
});
