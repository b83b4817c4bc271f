// Signing secrets at rest (issue 12 §3): with POSTVEJ_SECRET_KEY set they are sealed with AES-GCM
// (Web Crypto), so the database file holds none in clear, and pushes still verify at the receiver.
// A sealed value opens only with its key and for its own system.
import { readdirSync, readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openNodeDatabase } from "@postvej/db/node";
import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config.ts";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { openSecret, sealSecret, SecretBoxError } from "../src/services/secret-box.ts";
import { sealStoredSecrets } from "../src/services/signing-secrets.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { callServer, startNodeServer, stopNodeServer, until, type NodeServer } from "./support/node-server.ts";
import { startRecipientServer } from "./support/recipient-server.ts";
import { must } from "./support/reply.ts";
import { CVR, createTestApp, seedAuthority } from "./support/test-app.ts";

const OPERATOR = "op_secrets_at_rest_test_0123456789";
const KEY = Buffer.alloc(32, 0x5a).toString("base64");
const XML = "application/xml";

/** Every file of the database (the main file, its WAL and shared memory), as bytes. */
function databaseBytes(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir)
      .filter((f) => f.startsWith("postvej.db"))
      .map((f) => readFileSync(join(dir, f))),
  );
}

describe("signing secrets at rest with POSTVEJ_SECRET_KEY", () => {
  it("leave no secret in clear in the database file, and pushes verify with the current one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "postvej-sealed-"));
    const receiver = await startRecipientServer();
    let server: NodeServer | undefined;
    const secrets: string[] = [];
    try {
      server = await startNodeServer({
        LIBSQL_URL: `file:${join(dir, "postvej.db")}`,
        POSTVEJ_OPERATOR_TOKEN: OPERATOR,
        POSTVEJ_SECRET_KEY: KEY,
        POSTVEJ_CLOCK: "simulated",
        POSTVEJ_MAIL_URL: "file:/dev/null/none",
      });
      const call = (method: string, path: string, token: string, body?: unknown, type?: string) =>
        callServer(server!.base, method, path, token, body, type);
      await must(call("POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "Forseglet" }), 201);
      const admin = (await must(call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "admin", label: "admin" }), 201))
        .key as string;
      const sender = (await must(call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "sender", label: "sender" }), 201))
        .key as string;
      const system = await must(
        call("POST", `/v1/authorities/${CVR}/recipient-systems`, admin, {
          name: "push",
          protocol: "REST_PUSH",
          endpoint: receiver.url("/in"),
          technicalContact: { name: "T", email: "t@example.dk" },
          businessContactEmail: "b@example.dk",
          primary: true,
        }),
        201,
      );
      secrets.push(system.signingSecret);
      receiver.register("/in", system.signingSecret);
      await must(
        call("POST", `/v1/authorities/${CVR}/contact-points`, admin, {
          name: "CP",
          recipientSystemId: system.id,
          visible: true,
          audiences: ["authorities"],
        }),
        201,
      );
      await must(call("POST", "/v1/messages", sender, memoFor(CVR).xml, XML), 202);
      await until("the first push", () => receiver.delivered("/in").size === 1);

      // Rotated twice (the second with a grace, so both a current and a previous secret are stored).
      for (const graceHours of [0, 24]) {
        const rotated = await must(
          call("POST", `/v1/authorities/${CVR}/recipient-systems/${system.id}/signing-secret`, admin, { graceHours }),
          201,
        );
        secrets.push(rotated.signingSecret);
      }
      // The receiver holds only the newest: the push verifies with it.
      receiver.register("/in", secrets.at(-1)!);
      await must(call("POST", "/v1/messages", sender, memoFor(CVR).xml, XML), 202);
      await until("the second push", () => receiver.delivered("/in").size === 2);
      expect(receiver.badSignatures).toEqual([]);
    } finally {
      await stopNodeServer(server, "SIGTERM");
      await receiver.close();
    }
    const bytes = databaseBytes(dir);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.includes("pvenc1:")).toBe(true);
    expect(bytes.includes("whsec_")).toBe(false);
    for (const secret of secrets) {
      const raw = Buffer.from(secret.slice("whsec_".length), "base64");
      expect(bytes.includes(secret.slice("whsec_".length)), "the secret's base64").toBe(false);
      expect(bytes.includes(raw), "the secret's bytes").toBe(false);
    }
    // The rows say so too: both stored values sealed.
    const db = await openNodeDatabase(`file:${join(dir, "postvej.db")}`);
    const row = await db.selectFrom("recipient_systems").select(["signing_secret", "previous_signing_secret"]).executeTakeFirstOrThrow();
    expect(row.signing_secret).toMatch(/^pvenc1:/);
    expect(row.previous_signing_secret).toMatch(/^pvenc1:/);
    await db.destroy();
  }, 60_000);

  it("open only with their key and for their own system; without the key a push fails as no_signing_secret, never unsigned", async () => {
    const key = Buffer.alloc(32, 1);
    const sealed = await sealSecret(key, "whsec_c2VjcmV0", "rs_a");
    expect(sealed).toMatch(/^pvenc1:/);
    expect(await sealSecret(key, "whsec_c2VjcmV0", "rs_a")).not.toBe(sealed); // a fresh IV each time
    expect(await openSecret(key, sealed, "rs_a")).toBe("whsec_c2VjcmV0");
    await expect(openSecret(key, sealed, "rs_b")).rejects.toThrow(SecretBoxError);
    await expect(openSecret(Buffer.alloc(32, 2), sealed, "rs_a")).rejects.toThrow(SecretBoxError);
    await expect(openSecret(null, sealed, "rs_a")).rejects.toThrow("POSTVEJ_SECRET_KEY is not set");
    expect(await openSecret(null, "whsec_plain", "rs_a")).toBe("whsec_plain");

    const receiver = await startRecipientServer();
    try {
      const t = await createTestApp({ config: { secretKey: key } });
      const s = await seedAuthority(t, CVR, { a: receiver.url("/a") });
      receiver.register("/a", s.primary.signingSecret);
      const stored = await t.db
        .selectFrom("recipient_systems")
        .select("signing_secret")
        .where("id", "=", s.primary.id)
        .executeTakeFirstOrThrow();
      expect(stored.signing_secret).toMatch(/^pvenc1:/);
      must(
        await t.call("POST", "/v1/messages", s.sender, memoFor(CVR, { contactPointId: s.cpPrimary.id }).xml, { "content-type": XML }),
        202,
      );
      // The same database run without the key: the push is not sent, and says why it failed.
      const noKey = { ...t.deps, config: { ...t.deps.config, secretKey: null } };
      expect((await deliverDue(noKey)).failed).toBe(1);
      expect(receiver.hits).toEqual([]);
      const attempts = await t.db.selectFrom("attempts").select("error").execute();
      expect(attempts.map((a) => a.error)).toEqual(["no_signing_secret"]);
    } finally {
      await receiver.close();
    }
  });

  it("seals the secrets stored in clear before the key was set, at start", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const plain = await t.db.selectFrom("recipient_systems").select(["id", "signing_secret"]).orderBy("id").execute();
    expect(plain.every((r) => r.signing_secret?.startsWith("whsec_"))).toBe(true);
    const key = Buffer.alloc(32, 9);
    expect(await sealStoredSecrets(t.db, key)).toBe(2);
    expect(await sealStoredSecrets(t.db, key)).toBe(0);
    const rows = await t.db.selectFrom("recipient_systems").select(["id", "signing_secret"]).orderBy("id").execute();
    for (const [i, r] of rows.entries()) {
      expect(r.signing_secret).toMatch(/^pvenc1:/);
      expect(await openSecret(key, r.signing_secret!, r.id)).toBe(plain[i]!.signing_secret);
    }
    expect([s.primary.signingSecret, s.other.signingSecret].sort()).toEqual(plain.map((r) => r.signing_secret).sort());
  });

  it("seals a sender's receipt-endpoint secret stored in clear, to its sender key", async () => {
    const t = await createTestApp();
    const s = await seedAuthority(t);
    const created = must(await t.call("PUT", "/v1/receipt-endpoint", s.sender, { url: "https://receipts.example.dk/in" }), 201) as {
      signingSecret: string;
    };
    const before = await t.db.selectFrom("receipt_endpoints").select(["sender_key_id", "signing_secret"]).executeTakeFirstOrThrow();
    expect(before.signing_secret).toBe(created.signingSecret);
    const key = Buffer.alloc(32, 7);
    // The two push systems' secrets and the receipt endpoint's; a second run finds nothing left.
    expect(await sealStoredSecrets(t.db, key)).toBe(3);
    expect(await sealStoredSecrets(t.db, key)).toBe(0);
    const after = await t.db.selectFrom("receipt_endpoints").select("signing_secret").executeTakeFirstOrThrow();
    expect(after.signing_secret).toMatch(/^pvenc1:/);
    expect(await openSecret(key, after.signing_secret, before.sender_key_id)).toBe(created.signingSecret);
    await expect(openSecret(key, after.signing_secret, "another-owner")).rejects.toBeInstanceOf(SecretBoxError);
  });

  it("POSTVEJ_SECRET_KEY must be 32 bytes in base64", () => {
    const base = { POSTVEJ_OPERATOR_TOKEN: OPERATOR };
    expect(readConfig(base, { production: false }).secretKey).toBeNull();
    expect(readConfig({ ...base, POSTVEJ_SECRET_KEY: KEY }, { production: false }).secretKey).toEqual(
      new Uint8Array(Buffer.alloc(32, 0x5a)),
    );
    expect(
      readConfig({ ...base, POSTVEJ_SECRET_KEY: Buffer.alloc(32, 0xfb).toString("base64url") }, { production: false }).secretKey?.length,
    ).toBe(32);
    for (const bad of ["short", Buffer.alloc(16).toString("base64"), Buffer.alloc(33).toString("base64"), "!".repeat(44)]) {
      expect(() => readConfig({ ...base, POSTVEJ_SECRET_KEY: bad }, { production: false })).toThrow(
        "POSTVEJ_SECRET_KEY must be 32 bytes in base64",
      );
    }
  });
});
