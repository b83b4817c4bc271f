// Inside workerd, whose database is remote (sqld): `auto` stores bodies deflated, with the web
// streams (CompressionStream "deflate-raw"), and every reader hands out the very bytes received.
import { SELF } from "cloudflare:test";
import { env as rawEnv } from "cloudflare:workers";
import { sha256Hex } from "@postvej/core/ids";
import { findMessageBody } from "@postvej/db";
import { describe, expect, it, vi } from "vitest";
import { depsFor, type Env } from "../../src/worker.ts";
import { memoFor, must, OPERATOR, seedAuthority, seenBy } from "./in-worker.ts";

const env = rawEnv as unknown as Env;
const CVR = "33000006";
const KEY = "bodies";
const XML = { "content-type": "application/xml" };

describe("message bodies on Workers", () => {
  it("are stored deflated, pushed byte for byte (signature verified), and fetched byte for byte by a pull system", async () => {
    const s = await seedAuthority(CVR, KEY);
    const deps = await depsFor(env);
    expect(deps.config.compressBodies).toBe(true);
    const m = memoFor(CVR, { contactPointId: s.cp.id });
    const bytes = new TextEncoder().encode(m.xml);
    await must(202, "POST", "/v1/messages", s.sender, m.xml, XML);
    const stored = await findMessageBody(deps.db, m.uuid.toLowerCase());
    expect(stored).toMatchObject({ encoding: "deflate-raw", sizeBytes: bytes.length });
    expect(stored!.body.length).toBeLessThan(bytes.length * 0.9);
    await vi.waitFor(async () => expect((await seenBy(KEY)).filter((p) => p.webhookId === m.uuid.toLowerCase())).toHaveLength(1), {
      timeout: 20_000,
      interval: 100,
    });
    const [seen] = (await seenBy(KEY)).filter((p) => p.webhookId === m.uuid.toLowerCase());
    expect(seen).toMatchObject({ verified: true, bytes: bytes.length, sha256: await sha256Hex(bytes) });

    const pull = await must(201, "POST", `/v1/authorities/${CVR}/recipient-systems`, s.admin, {
      name: "pull",
      protocol: "REST_PULL",
      memoVersion: "1.2",
      technicalContact: { name: "T", email: "t@example.dk" },
      businessContactEmail: "b@example.dk",
    });
    const cp = await must(201, "POST", `/v1/authorities/${CVR}/contact-points`, s.admin, {
      name: "Pull CP",
      recipientSystemId: pull.id,
      visible: true,
      audiences: ["citizens_companies"],
    });
    const key = (
      await must(201, "POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "recipient", recipientSystemId: pull.id, label: "p" })
    ).key as string;
    const p = memoFor(CVR, { contactPointId: cp.id });
    await must(202, "POST", "/v1/messages", s.sender, p.xml, XML);
    expect((await findMessageBody(deps.db, p.uuid.toLowerCase()))?.encoding).toBe("deflate-raw");
    const fetched = await SELF.fetch(`https://postvej.test/v1/recipient/messages/${p.uuid}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(fetched.status).toBe(200);
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(new TextEncoder().encode(p.xml));
  });
});
