import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256Hex } from "@postvej/core/ids";
import { readMemo } from "@postvej/core/memo";
import { type Database, migrateToLatest, NEW_SYSTEM_STATE, NOT_YET_DELIVERED } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import { type Kysely, sql } from "kysely";
import { buildApp } from "../src/app.ts";
import { readConfig } from "../src/config.ts";
import { runRelocationBatches } from "../src/jobs/relocation-batches.ts";
import { createFileTransport } from "../src/mail/file-transport.ts";
import { createRuntime } from "../src/runtime.ts";
import { fmt } from "./support.ts";

const N = Number(process.env.BENCH_RELOCATION_N ?? 100_000);
const CVR = "29189846";
const AT = "2026-11-27T12:00:00.000Z";
const ADMIN_KEY = "bench-admin-key-0123456789";
const BODY = readFileSync(fileURLToPath(new URL("../../../fixtures/memo/samples/v1.2-minimum.xml", import.meta.url)));
// What intake keeps of the sample's header beside its bytes.
const read = readMemo(BODY);
const SENDER_LABEL = read.ok ? (read.summary.senderLabel ?? "") : "";

/** An authority with N messages in its Virk mailbox (each with its landed_in_virk event), on a fresh libSQL file. */
async function seeded(dir: string, name: string): Promise<Kysely<Database>> {
  const db = await openNodeDatabase(`file:${join(dir, `${name}.db`)}`);
  await migrateToLatest(db);
  await db.insertInto("authorities").values({ cvr: CVR, name: "Bench Kommune", created_at: AT }).execute();
  await db
    .insertInto("api_keys")
    .values({
      id: "key_bench",
      authority_cvr: CVR,
      role: "admin",
      recipient_system_id: null,
      label: "bench",
      key_hash: await sha256Hex(ADMIN_KEY),
      created_at: AT,
      revoked_at: null,
    })
    .execute();
  await db
    .insertInto("recipient_systems")
    .values({
      id: "rs_target",
      authority_cvr: CVR,
      name: "Target",
      protocol: "REST_PUSH",
      endpoint: "http://127.0.0.1:9/",
      signing_secret: null,
      technical_contact_name: "T",
      technical_contact_email: "t@example.dk",
      technical_contact_phone: null,
      business_contact_email: "b@example.dk",
      memo_version: "1.2",
      ...NEW_SYSTEM_STATE,
      is_primary: 1,
      created_at: AT,
      updated_at: AT,
    })
    .execute();
  await db
    .insertInto("contact_points")
    .values({
      id: "0d6b1f0e-5c5a-4a53-9d0b-6b1f0e5c5a4a",
      authority_cvr: CVR,
      name: "Target CP",
      recipient_system_id: "rs_target",
      visible: 1,
      audiences: '["authorities"]',
      max_size_mb: null,
      max_attachments: null,
      active: 1,
      created_at: AT,
      updated_at: AT,
    })
    .execute();
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < N; i += 500) {
      const rows = Array.from({ length: Math.min(500, N - i) }, (_, j) => {
        const n = i + j;
        return {
          uuid: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
          authority_cvr: CVR,
          sender_key_id: null,
          sender_id: "12345678",
          sender_label: SENDER_LABEL,
          label: `Brev ${n}`,
          memo_version: "1.2",
          body_sha256: "00",
          size_bytes: BODY.length,
          attachment_count: 0,
          original_contact_point_id: null,
          route_reason: "no_primary",
          route_contact_point_id: null,
          custodian_kind: "virk" as const,
          custodian_system_id: null,
          state: "in_virk" as const,
          received_at: new Date(Date.parse("2026-11-01T00:00:00Z") + n * 1000).toISOString(),
          release_at: null,
          next_attempt_at: null,
          ...NOT_YET_DELIVERED,
        };
      });
      await tx.insertInto("messages").values(rows).execute();
      await tx
        .insertInto("message_bodies")
        .values(rows.map((r) => ({ uuid: r.uuid, body: BODY })))
        .execute();
      await tx
        .insertInto("events")
        .values(
          rows.map((r) => ({
            authority_cvr: CVR,
            at: r.received_at,
            type: "landed_in_virk",
            message_uuid: r.uuid,
            recipient_system_id: null,
            data: '{"reason":"no_primary"}',
          })),
        )
        .execute();
    }
  });
  // Start from a checkpointed file, so neither contender pays for flushing the seed out of the WAL.
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  return db;
}

/** Moving N messages out of Virk through the API and the scheduler's batches, against one raw UPDATE of the same rows. */
export async function benchRelocation(): Promise<void> {
  console.log(`\n## Relocation: moving ${fmt(N)} messages out of Virk (libSQL file, WAL, v1.2-minimum bodies)`);
  const dir = mkdtempSync(join(tmpdir(), "postvej-bench-reloc-"));
  try {
    const db = await seeded(dir, "relocation");
    const config = {
      ...readConfig({ POSTVEJ_OPERATOR_TOKEN: "bench-operator-token-0123456789" }, { production: false }),
      simulatedClock: false,
    };
    const clock = { now: async () => new Date(AT) };
    const deps = createRuntime({ db, config, clock, mail: createFileTransport(join(dir, "mail")), runJobs: async () => ({}) });
    const app = buildApp(deps);

    const post = (dryRun: boolean) =>
      app.request(`/v1/authorities/${CVR}/relocations`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({
          selection: { all: true },
          targetContactPointId: "0d6b1f0e-5c5a-4a53-9d0b-6b1f0e5c5a4a",
          preferOriginal: false,
          dryRun,
        }),
      });
    const auth = { headers: { authorization: `Bearer ${ADMIN_KEY}` } };
    const l0 = performance.now();
    const first = (await (await app.request(`/v1/authorities/${CVR}/virk/messages?limit=50`, auth)).json()) as {
      total: number;
      nextCursor: string;
    };
    const l1 = performance.now();
    await app.request(`/v1/authorities/${CVR}/virk/messages?limit=500&cursor=${first.nextCursor}`, auth);
    console.log(
      `mailbox page of 50 (with total ${fmt(first.total)}): ${fmt(l1 - l0, 1)} ms; next page of 500: ${fmt(performance.now() - l1, 1)} ms`,
    );
    const d0 = performance.now();
    const plan = (await (await post(true)).json()) as { total: number; moves: { count: number }[] };
    console.log(
      `dry run (the plan, nothing moved): ${fmt(performance.now() - d0)} ms  (total ${fmt(plan.total)}, to move ${fmt(plan.moves[0]?.count ?? 0)})`,
    );

    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await post(false);
    const started = (await res.json()) as { id: string; state: string; total: number };
    const t1 = performance.now();
    if (res.status !== 202 || started.total !== N) throw new Error(`relocation refused: ${res.status} ${JSON.stringify(started)}`);
    let ticks = 0;
    let batches = 0;
    for (let finished = started.state === "finished"; !finished;) {
      const r = await runRelocationBatches({ db, now: new Date(AT), portalUrl: null });
      ticks++;
      batches += r.batches;
      finished = r.finished > 0;
      if (r.batches === 0) throw new Error("no progress");
    }
    const t2 = performance.now();
    const cpu = process.cpuUsage(c0);
    const rel = await db.selectFrom("relocations").selectAll().where("id", "=", started.id).executeTakeFirstOrThrow();
    const left = await db
      .selectFrom("messages")
      .select((e) => e.fn.countAll<number>().as("n"))
      .where("state", "=", "in_virk")
      .executeTakeFirstOrThrow();
    const total = t2 - t0;
    console.log(`claim (POST, ${fmt(N)} pending items):  ${fmt(t1 - t0)} ms`);
    console.log(`move (${batches} batches of 500, ${ticks} scheduler ticks): ${fmt(t2 - t1)} ms`);
    console.log(
      `relocation total:                ${fmt(total)} ms wall, ${fmt((cpu.user + cpu.system) / 1000)} ms CPU  (${fmt((N * 1000) / total)} msg/s; state ${rel.state}, moved ${fmt(rel.moved)}, left in Virk ${Number(left.n)})`,
    );
    await db.destroy();

    const raw = await seeded(dir, "raw");
    const rc = process.cpuUsage();
    const r0 = performance.now();
    await sql`UPDATE messages SET state = 'queued', custodian_kind = 'recipient_system', custodian_system_id = 'rs_target',
      route_contact_point_id = '0d6b1f0e-5c5a-4a53-9d0b-6b1f0e5c5a4a', route_reason = 'relocated', next_attempt_at = ${AT}
      WHERE authority_cvr = ${CVR} AND state = 'in_virk'`.execute(raw);
    const r1 = performance.now();
    const rcpu = process.cpuUsage(rc);
    await raw.destroy();
    console.log(`one raw SQL UPDATE of the rows:  ${fmt(r1 - r0)} ms wall, ${fmt((rcpu.user + rcpu.system) / 1000)} ms CPU`);
    console.log(
      `ratio relocation / raw UPDATE:   ${fmt(total / (r1 - r0), 1)}× wall, ${fmt((cpu.user + cpu.system) / (rcpu.user + rcpu.system), 1)}× CPU  (the relocation also writes ${fmt(N)} history rows, ${fmt(N)} events and checks each claim)`,
    );
    console.log(
      `load average at the end:         ${(await import("node:os"))
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(" ")} on ${(await import("node:os")).availableParallelism()} cores`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Alone: `npx node bench/run.ts relocation` (BENCH_RELOCATION_N=… for another size).
