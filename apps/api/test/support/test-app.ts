import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { migrateToLatest } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import { buildApp } from "../../src/app.ts";
import type { Clock } from "../../src/clock.ts";
import { readConfig, type AppConfig } from "../../src/config.ts";
import { createFileTransport } from "../../src/mail/file-transport.ts";
import type { MailTransport } from "../../src/mail/transport.ts";
import { createRuntime } from "../../src/runtime.ts";
import { must, readReply } from "./reply.ts";

export const OPERATOR = "test-operator-token-0123456789";
export const CVR = "29189846";
export const OTHER_CVR = "12345674";

/** A clock the test moves by hand. */
export function manualClock(start: string): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return {
    now: async () => new Date(now),
    advance: async (ms) => (now = new Date(now.getTime() + ms)),
    set: (iso) => void (now = new Date(iso)),
  };
}

/** The real app over a fresh libSQL file, with a hand-moved clock; `deps` is its runtime. */
export async function createTestApp(
  opts: { start?: string; config?: Partial<AppConfig>; mail?: MailTransport; random?: () => number } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "postvej-api-"));
  const db = await openNodeDatabase(`file:${join(dir, "api.db")}`);
  await migrateToLatest(db);
  const clock = manualClock(opts.start ?? "2026-11-27T09:00:00Z");
  const config: AppConfig = {
    ...readConfig({ POSTVEJ_OPERATOR_TOKEN: OPERATOR }, { production: false }),
    simulatedClock: true,
    ...opts.config,
  };
  const mail = opts.mail ?? createFileTransport(join(dir, "mail"));
  const deps = createRuntime({ db, config, clock, mail, random: opts.random ?? (() => 0.5) });
  const app = buildApp(deps);
  const call = async (method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (token) (init.headers as Record<string, string>).authorization = `Bearer ${token}`;
    if (body !== undefined) {
      if (typeof body === "string" || body instanceof Uint8Array) init.body = body as BodyInit;
      else {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)["content-type"] = "application/json";
      }
    }
    return readReply(await app.request(path, init));
  };
  return { app, db, clock, deps, dir, call };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** Creates an authority with an admin key, a sender key, two push systems and contact points. */
export async function seedAuthority(t: TestApp, cvr = CVR, endpoints: { a?: string; b?: string } = {}) {
  must(await t.call("POST", "/v1/authorities", OPERATOR, { cvr, name: `Myndighed ${cvr}` }), 201);
  const admin = must(await t.call("POST", `/v1/authorities/${cvr}/api-keys`, OPERATOR, { role: "admin", label: "admin" }), 201)
    .key as string;
  const sender = must(await t.call("POST", `/v1/authorities/${cvr}/api-keys`, OPERATOR, { role: "sender", label: "sender" }), 201)
    .key as string;
  const system = (name: string, endpoint: string) => ({
    name,
    protocol: "REST_PUSH",
    endpoint,
    memoVersion: "1.2",
    technicalContact: { name: "Tekniker", email: `tech-${name}@example.dk` },
    businessContactEmail: `biz-${name}@example.dk`,
  });
  const primary = must(
    await t.call("POST", `/v1/authorities/${cvr}/recipient-systems`, admin, system("primary", endpoints.a ?? "http://127.0.0.1:9/a")),
    201,
  );
  const other = must(
    await t.call("POST", `/v1/authorities/${cvr}/recipient-systems`, admin, system("other", endpoints.b ?? "http://127.0.0.1:9/b")),
    201,
  );
  const cpOther = must(
    await t.call("POST", `/v1/authorities/${cvr}/contact-points`, admin, {
      name: "Other CP",
      recipientSystemId: other.id,
      visible: true,
      audiences: ["citizens_companies"],
      maxSizeMb: 1,
      maxAttachments: 2,
    }),
    201,
  );
  const cpPrimary = must(
    await t.call("POST", `/v1/authorities/${cvr}/contact-points`, admin, {
      name: "Primary CP",
      recipientSystemId: primary.id,
      visible: true,
      audiences: ["authorities"],
    }),
    201,
  );
  return { cvr, admin, sender, primary, other, cpOther, cpPrimary };
}

/** A REST_PULL recipient system alone (no contact point, no key): the created system as the API answers it. */
export async function createPullSystem(t: TestApp, admin: string, opts: { cvr?: string; memoVersion?: "1.1" | "1.2" } = {}) {
  return must(
    await t.call("POST", `/v1/authorities/${opts.cvr ?? CVR}/recipient-systems`, admin, {
      name: "pull",
      protocol: "REST_PULL",
      ...(opts.memoVersion ? { memoVersion: opts.memoVersion } : {}),
      technicalContact: { name: "T", email: "t@example.dk" },
      businessContactEmail: "b@example.dk",
    }),
    201,
  );
}

/** A pull system of authority `cvr` with a visible contact point and a recipient key for it. */
export async function addPullSystem(t: TestApp, admin: string, opts: { cvr?: string; memoVersion?: "1.1" | "1.2" } = {}) {
  const cvr = opts.cvr ?? CVR;
  const system = await createPullSystem(t, admin, opts);
  const contactPoint = must(
    await t.call("POST", `/v1/authorities/${cvr}/contact-points`, admin, {
      name: "Pull CP",
      recipientSystemId: system.id,
      visible: true,
      audiences: ["authorities"],
    }),
    201,
  );
  const key = must(
    await t.call("POST", `/v1/authorities/${cvr}/api-keys`, OPERATOR, { role: "recipient", recipientSystemId: system.id, label: "pull" }),
    201,
  ).key as string;
  return { system, contactPoint, key };
}

/** How many messages the test app's database holds. */
export async function countMessages(t: TestApp): Promise<number> {
  const row = await t.db
    .selectFrom("messages")
    .select((e) => e.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The test app behind a real Node HTTP server on a free loopback port, as a client sees it. */
export async function serveTestApp(t: TestApp): Promise<{ base: string; close: () => Promise<void> }> {
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
