import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { newSigningSecret } from "@postvej/core/delivery";
import { migrateToLatest, NEW_SYSTEM_STATE, type Database } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import { sql, type Kysely } from "kysely";
import { systemClock } from "../src/clock.ts";
import { readConfig } from "../src/config.ts";
import { deliverDue } from "../src/delivery/deliver-due.ts";
import { pushMessage } from "../src/delivery/push-client.ts";
import { runJobs } from "../src/jobs/run-jobs.ts";
import { memoFor } from "../test/support/memo-fixtures.ts";
import { freePort } from "../../../packages/db/test/sqld.ts";
import { CVR, fmt } from "./support.ts";

const N = Number(process.env.BENCH_DELIVERY_N ?? 5000);
// BENCH_DELIVERY_ONLY=1 measures postvej alone (for profiling), without the bare-POST comparison.
const POSTVEJ_ONLY = process.env.BENCH_DELIVERY_ONLY === "1";

/** A fresh database with one authority and one push system at the loopback receiver. */
async function freshDb(port: number): Promise<{ db: Kysely<Database>; secret: string }> {
  const db = await openNodeDatabase(`file:${join(mkdtempSync(join(tmpdir(), "postvej-deliv-")), "d.db")}`);
  await migrateToLatest(db);
  const now = new Date().toISOString();
  const secret = newSigningSecret();
  await db.insertInto("authorities").values({ cvr: CVR, name: "Bench", created_at: now }).execute();
  await db
    .insertInto("recipient_systems")
    .values({
      id: "rs_bench",
      authority_cvr: CVR,
      name: "bench",
      protocol: "REST_PUSH",
      endpoint: `http://127.0.0.1:${port}/in`,
      signing_secret: secret,
      technical_contact_name: "t",
      technical_contact_email: "t@example.dk",
      technical_contact_phone: null,
      business_contact_email: "b@example.dk",
      memo_version: "1.2",
      ...NEW_SYSTEM_STATE,
      is_primary: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { db, secret };
}

/** Inserts `n` messages with `body`, due at `nextAttemptAt`, in one statement per 10,000. */
async function seedMessages(db: Kysely<Database>, n: number, body: Uint8Array, nextAttemptAt: string, firstFailedAt: string | null) {
  const now = new Date().toISOString();
  for (let done = 0; done < n; done += 10_000) {
    const count = Math.min(10_000, n - done);
    await sql`INSERT INTO messages (uuid, authority_cvr, sender_key_id, sender_id, label, memo_version, body_sha256, size_bytes,
        attachment_count, original_contact_point_id, route_reason, route_contact_point_id, custodian_kind, custodian_system_id, state,
        received_at, release_at, next_attempt_at, attempt_count, first_failed_at)
      WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${count})
      SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-a' || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
        ${CVR}, 'k', '12345678', 'bench', '1.2', 'x', ${body.length}, 1, NULL, 'cvr_only', NULL, 'recipient_system', 'rs_bench', 'queued',
        ${now}, NULL, ${nextAttemptAt}, ${firstFailedAt ? 1 : 0}, ${firstFailedAt}
      FROM seq`.execute(db);
  }
  await sql`INSERT INTO message_bodies (uuid, body) SELECT uuid, ${body} FROM messages WHERE uuid NOT IN (SELECT uuid FROM message_bodies)`.execute(
    db,
  );
}

async function withReceiver<T>(work: (port: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const child = spawn(process.execPath, [fileURLToPath(new URL("./receiver.ts", import.meta.url))], {
    env: { ...process.env, PORT: String(port) },
    stdio: "inherit",
  });
  try {
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/in`, { method: "POST", body: "x" });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return await work(port);
  } finally {
    child.kill();
  }
}

/** Deliveries to a loopback receiver, against a bare loop of signed POSTs; and the scheduler at scale. */
export async function benchDelivery(): Promise<void> {
  const body = new TextEncoder().encode(memoFor(CVR, { name: "v1.2-full" }).xml);
  console.log(`\n## Delivery to a loopback receiver (v1.2-full.xml, ${fmt(N)} messages, 50 in flight)`);
  await withReceiver(async (port) => {
    const { db, secret } = await freshDb(port);
    await seedMessages(db, N, body, new Date(Date.now() - 1000).toISOString(), null);
    const deps = { db, clock: systemClock, config: { pushTimeoutMs: 10_000, production: false, claimLeaseMs: null } };
    const t0 = performance.now();
    let delivered = 0;
    for (;;) {
      const r = await deliverDue(deps, { batch: 1000, perSystem: 1000, perSystemConcurrency: 50 });
      delivered += r.delivered;
      if (r.claimed === 0) break;
    }
    const rate = delivered / ((performance.now() - t0) / 1000);
    console.log(`postvej deliveries: ${fmt(rate)} /s (${fmt(delivered)} delivered, each recorded with its attempt, event and clocks)`);
    if (POSTVEJ_ONLY) return;

    let next = 0;
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < N) {
          next++;
          await pushMessage({
            endpoint: `http://127.0.0.1:${port}/in`,
            signingSecret: secret,
            messageUuid: crypto.randomUUID(),
            contactPointId: null,
            attempt: 1,
            body,
            timeoutMs: 10_000,
            signedAt: new Date(),
          });
        }
      }),
    );
    const bare = N / ((performance.now() - t1) / 1000);
    console.log(`bare signed POSTs:  ${fmt(bare)} /s  → postvej at ${fmt((100 * rate) / bare)} % of it`);
    await db.destroy();
  });
}

/** A scheduler run with a million messages waiting for later attempts costs about what an empty one does. */
export async function benchScheduler(): Promise<void> {
  console.log("\n## A scheduler run with 1,000,000 messages waiting for later attempts vs none");
  const mail = { send: async () => {} };
  const timeRun = async (db: Kysely<Database>) => {
    const config = readConfig(
      { POSTVEJ_OPERATOR_TOKEN: "bench-operator-token-0123456789", POSTVEJ_PUSH_TIMEOUT_MS: "10000" },
      { production: false },
    );
    const jobs = { db, clock: systemClock, config, mail };
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      await runJobs(jobs, new Date());
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[3]!;
  };
  const empty = await freshDb(await freePort());
  const emptyMs = await timeRun(empty.db);
  const full = await freshDb(await freePort());
  const t0 = performance.now();
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
  await seedMessages(full.db, 1_000_000, new Uint8Array(16), tomorrow, new Date().toISOString());
  await full.db
    .updateTable("recipient_systems")
    .set({ failing_since: new Date().toISOString(), episode_started_at: new Date().toISOString() })
    .execute();
  console.log(`(seeded 1,000,000 waiting messages in ${fmt((performance.now() - t0) / 1000, 1)} s)`);
  const fullMs = await timeRun(full.db);
  console.log(`scheduler run, none waiting:      ${fmt(emptyMs, 2)} ms (median of 7)`);
  console.log(`scheduler run, 1,000,000 waiting: ${fmt(fullMs, 2)} ms (median of 7)  → ${fmt(fullMs / emptyMs, 2)}× the empty run`);
  await empty.db.destroy();
  await full.db.destroy();
}
