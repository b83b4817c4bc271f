import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateToLatest, NOT_YET_DELIVERED } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import { load } from "./load.ts";
import { freePort } from "../../../packages/db/test/sqld.ts";
import { CVR, OPERATOR, call, cpuMs, fmt, rssMb, startServer } from "./support.ts";
import { memoFor } from "../test/support/memo-fixtures.ts";

const N = Number(process.env.BENCH_INTAKE_N ?? 8000);
const CONNECTIONS = 32;
/** Requests sent first and not counted, so V8 has compiled the hot paths the way it will keep them. */
const WARM_UP = Number(process.env.BENCH_INTAKE_WARM_UP ?? 3000);

/** Intake over HTTP on the Node default, against a bare Hono handler and raw libSQL inserts. */
export async function benchIntake(): Promise<void> {
  console.log(`\n## Intake over HTTP (v1.2-full.xml, ~17 KB, ${fmt(N)} messages, ${CONNECTIONS} connections)`);
  const { child, base } = await startServer(await freePort());
  try {
    await call(base, "POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "Bench" });
    const admin = (await call(base, "POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "admin", label: "a" })).key;
    const sender = (await call(base, "POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "sender", label: "s" })).key;
    await call(base, "POST", `/v1/authorities/${CVR}/recipient-systems`, admin, {
      name: "pull",
      protocol: "REST_PULL",
      memoVersion: "1.2",
      technicalContact: { name: "t", email: "t@example.dk" },
      businessContactEmail: "b@example.dk",
    });
    const headers = { authorization: `Bearer ${sender}`, "content-type": "application/xml" };
    const warm = Array.from({ length: WARM_UP }, () => memoFor(CVR, { name: "v1.2-full" }).xml);
    const w = await load(`${base}/v1/messages`, headers, warm, CONNECTIONS);
    if (!w.statuses[202]) throw new Error(`intake refused the sample: ${JSON.stringify(w.statuses)}`);
    const bodies = Array.from({ length: N }, () => memoFor(CVR, { name: "v1.2-full" }).xml);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 100);
    const serverCpu0 = cpuMs(child.pid!);
    const ownCpu0 = process.cpuUsage();
    const r = await load(`${base}/v1/messages`, headers, bodies, CONNECTIONS);
    const serverCpu = cpuMs(child.pid!) - serverCpu0;
    const ownCpu = process.cpuUsage(ownCpu0);
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(child.pid!));
    console.log(
      `warm-up:           ${fmt(w.perSecond)} msg/s, p99 ${fmt(w.p99, 1)} ms over the first ${fmt(WARM_UP)} messages (not counted)`,
    );
    console.log(
      `postvej intake:    ${fmt(r.perSecond)} msg/s, p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms (p99.9 ${fmt(r.p999, 1)} ms, max ${fmt(r.max, 1)} ms), statuses ${JSON.stringify(r.statuses)}`,
    );
    console.log(`server RSS peak:   ${fmt(peak)} MB`);
    console.log(
      `CPU per message:   server ${fmt((1000 * serverCpu) / N)} µs, load generator ${fmt((ownCpu.user + ownCpu.system) / N)} µs (2 cores: ${fmt(2e6 / ((1000 * serverCpu) / N + (ownCpu.user + ownCpu.system) / N))} msg/s if both were saturated)`,
    );

    const bare = await bareHono(bodies.slice(0, Math.min(N, 8000)));
    console.log(
      `bare Hono handler: ${fmt(bare.perSecond)} req/s, p99 ${fmt(bare.p99, 1)} ms  → postvej at ${fmt((100 * r.perSecond) / bare.perSecond)} % of it`,
    );
    const raw = await rawInserts(bodies.slice(0, 4000));
    console.log(
      `raw libSQL insert: ${fmt(raw)} rows/s (one transaction per row, WAL)  → postvej at ${fmt((100 * r.perSecond) / raw)} % of it`,
    );
  } finally {
    child.kill();
  }
}

async function bareHono(bodies: string[]) {
  const entry = fileURLToPath(new URL("./bare-hono.ts", import.meta.url));
  const port = await freePort();
  const child = spawn(process.execPath, [entry], { env: { ...process.env, PORT: String(port) }, stdio: "inherit" });
  try {
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/v1/messages`, { method: "POST", body: "x" });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return await load(`http://127.0.0.1:${port}/v1/messages`, { "content-type": "application/xml" }, bodies, CONNECTIONS);
  } finally {
    child.kill();
  }
}

/** The same rows (body + header columns) inserted straight into libSQL, a transaction each. */
async function rawInserts(bodies: string[]): Promise<number> {
  const db = await openNodeDatabase(`file:${join(mkdtempSync(join(tmpdir(), "postvej-raw-")), "raw.db")}`);
  await migrateToLatest(db);
  await db.insertInto("authorities").values({ cvr: CVR, name: "x", created_at: new Date().toISOString() }).execute();
  const enc = new TextEncoder();
  const t0 = performance.now();
  for (const b of bodies) {
    const now = new Date().toISOString();
    const uuid = crypto.randomUUID();
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto("messages")
        .values({
          uuid,
          authority_cvr: CVR,
          sender_key_id: "k",
          sender_id: "12345678",
          sender_label: "Kommune",
          label: "l",
          memo_version: "1.2",
          body_sha256: "x",
          size_bytes: b.length,
          attachment_count: 3,
          original_contact_point_id: null,
          route_reason: "cvr_only",
          route_contact_point_id: null,
          custodian_kind: "virk",
          custodian_system_id: null,
          state: "in_virk",
          received_at: now,
          release_at: null,
          next_attempt_at: null,
          ...NOT_YET_DELIVERED,
        })
        .execute();
      await tx
        .insertInto("message_bodies")
        .values({ uuid, body: enc.encode(b) })
        .execute();
      await tx
        .insertInto("events")
        .values([
          { authority_cvr: CVR, at: now, type: "received", message_uuid: null, recipient_system_id: null, data: "{}" },
          { authority_cvr: CVR, at: now, type: "routed", message_uuid: null, recipient_system_id: null, data: "{}" },
        ])
        .execute();
    });
  }
  const perSecond = bodies.length / ((performance.now() - t0) / 1000);
  await db.destroy();
  return perSecond;
}
