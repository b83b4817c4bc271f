import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateToLatest, storeNewMessages, type NewMessage } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import { sql } from "kysely";
import { CVR, fmt } from "./support.ts";
import { memoFor } from "../test/support/memo-fixtures.ts";
import { newVirkRow } from "../../../packages/db/test/virk-fixtures.ts";

const N = Number(process.env.BENCH_STORE_N ?? 8000);
/** About what 32 connections make of one group commit. */
const GROUP = 32;

/**
 * Intake's write path alone (storeNewMessages, one batch per group of 32 ~17 KB messages with their
 * events) on a fresh embedded file, with SQLite's automatic checkpoint as shipped, with a larger
 * threshold, and off: what the write-ahead log's checkpoints (run inside commits, on the event
 * loop's thread, waiting for the disk) cost per message.
 */
export async function benchStore(): Promise<void> {
  console.log(`\n## Intake's write path alone (storeNewMessages, ${fmt(N)} messages of ~17 KB in groups of ${GROUP})`);
  const body = new TextEncoder().encode(memoFor(CVR, { name: "v1.2-full" }).xml);
  for (const [label, pages] of [
    ["automatic checkpoint every 1,000 pages (as shipped)", null],
    ["automatic checkpoint every 10,000 pages", 10_000],
    ["no checkpoint (the log only grows)", 0],
  ] as const) {
    const path = join(mkdtempSync(join(tmpdir(), "postvej-store-")), "s.db");
    const db = await openNodeDatabase(`file:${path}`);
    if (pages !== null) await sql.raw(`PRAGMA wal_autocheckpoint=${pages}`).execute(db);
    await migrateToLatest(db);
    await db.insertInto("authorities").values({ cvr: CVR, name: "Bench", created_at: new Date().toISOString() }).execute();
    for (let i = 0; i < 2000 / GROUP; i++) await storeNewMessages(db, group(body));
    const groups = Array.from({ length: N / GROUP }, () => group(body));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const g of groups) await storeNewMessages(db, g);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const walMb = statSync(`${path}-wal`).size / 1e6;
    console.log(
      `${label}: ${fmt((1000 * N) / ms)} msg/s, ${fmt((1000 * ms) / N)} µs/msg on the clock, CPU ${fmt((cpu.user + cpu.system) / N)} µs/msg (system ${fmt(cpu.system / N)}); log ${fmt(walMb, 1)} MB`,
    );
    await db.destroy();
  }
}

/** One group of `GROUP` messages of `body` with their three events, as intake writes them. */
export function group(body: Uint8Array): NewMessage[] {
  return Array.from({ length: GROUP }, () => {
    const uuid = crypto.randomUUID();
    const at = new Date().toISOString();
    return {
      row: { ...newVirkRow(uuid, body.slice(), at), route_reason: "cvr_only", attachment_count: 3 },
      events: [
        { authorityCvr: CVR, at, type: "received", messageUuid: uuid, data: { senderId: "12345678", sizeBytes: body.length } },
        { authorityCvr: CVR, at, type: "routed", messageUuid: uuid, data: { reason: "cvr_only" } },
        { authorityCvr: CVR, at, type: "landed_in_virk", messageUuid: uuid, data: { reason: "cvr_only" } },
      ],
    };
  });
}
