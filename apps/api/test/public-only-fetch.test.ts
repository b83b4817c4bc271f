import { newSigningSecret } from "@postvej/core/delivery";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushMessage } from "../src/delivery/push-client.ts";
import { fetchThrough, publicOnlyAgent, publicOnlyFetch, type PublicOnlyOptions, type Resolve } from "../src/node/public-only-fetch.ts";
import { leanPushFetch } from "../src/node/push-transport.ts";
import { startRecipientServer } from "./support/recipient-server.ts";

// A name the test's resolver answers for (nothing real resolves it), pointing where a test wants.
const NAME = "vendor.postvej-test.example";
const resolveTo =
  (...addresses: string[]): Resolve =>
  (hostname, done) =>
    hostname === NAME
      ? done(
          null,
          addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
        )
      : done(Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" }), []);

describe("pushes in production connect only to public addresses (publicOnlyFetch)", () => {
  let server: Awaited<ReturnType<typeof startRecipientServer>>;
  const secret = newSigningSecret();
  beforeAll(async () => {
    server = await startRecipientServer();
    server.register("/inbox", secret);
  });
  afterAll(() => server.close());

  const endpoint = () => server.url("/inbox").replace("127.0.0.1", NAME);
  const push = (fetch: typeof globalThis.fetch) =>
    pushMessage({
      endpoint: endpoint(),
      signingSecret: secret,
      messageUuid: crypto.randomUUID(),
      contactPointId: null,
      attempt: 1,
      body: new TextEncoder().encode("<memo/>"),
      timeoutMs: 5000,
      signedAt: new Date(),
      fetch,
    });

  it("refuses a public-looking name that resolves to loopback, before sending a byte", async () => {
    const before = server.hits.length;
    const outcome = await push(publicOnlyFetch({ resolve: resolveTo("127.0.0.1") }));
    expect(outcome).toMatchObject({ outcome: "failed", statusCode: null, error: "non_public_address" });
    expect(server.hits.length).toBe(before);
  });

  it("refuses a name with any non-public address among public ones", async () => {
    const outcome = await push(publicOnlyFetch({ resolve: resolveTo("93.184.216.34", "10.0.0.7") }));
    expect(outcome.error).toBe("non_public_address");
  });

  it.each([["169.254.169.254"], ["::ffff:192.168.1.1"], ["fd00::1"]])(
    "refuses %s (cloud metadata, mapped private, unique-local)",
    async (address) => {
      expect((await push(publicOnlyFetch({ resolve: resolveTo(address) }))).error).toBe("non_public_address");
    },
  );

  it("connects to the address it resolved when the policy allows it (here: loopback allowed)", async () => {
    const outcome = await push(
      publicOnlyFetch({ resolve: resolveTo("127.0.0.1"), allow: (kind) => kind === "public" || kind === "loopback" }),
    );
    expect(outcome).toMatchObject({ outcome: "delivered", statusCode: 204 });
  });

  it("reports a name that does not resolve as a DNS failure", async () => {
    const outcome = await pushMessage({
      endpoint: "http://nowhere.postvej-test.example/",
      signingSecret: secret,
      messageUuid: crypto.randomUUID(),
      contactPointId: null,
      attempt: 1,
      body: new Uint8Array(1),
      timeoutMs: 5000,
      signedAt: new Date(),
      fetch: publicOnlyFetch({ resolve: resolveTo("127.0.0.1") }),
    });
    expect(outcome.error).toBe("dns_failure");
  });

  it("holds for the Node server's push transport over the same agent", async () => {
    const lean = (resolve: Resolve, allow?: PublicOnlyOptions["allow"]) => {
      const agent = publicOnlyAgent({ resolve, ...(allow ? { allow } : {}) });
      return leanPushFetch({ dispatcher: agent, fallback: fetchThrough(agent) });
    };
    const before = server.hits.length;
    expect(await push(lean(resolveTo("127.0.0.1")))).toMatchObject({ outcome: "failed", statusCode: null, error: "non_public_address" });
    expect((await push(lean(resolveTo("93.184.216.34", "10.0.0.7")))).error).toBe("non_public_address");
    expect(server.hits.length).toBe(before);
    const allowed = await push(lean(resolveTo("127.0.0.1"), (kind) => kind === "public" || kind === "loopback"));
    expect(allowed).toMatchObject({ outcome: "delivered", statusCode: 204 });
    expect(server.hits.length).toBe(before + 1);
  });
});
