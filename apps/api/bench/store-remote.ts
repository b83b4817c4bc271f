import { migrateToLatest, storeNewMessages, type Database } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import { openWebDatabase } from "@postvej/db/web";
import type { Kysely } from "kysely";
import { startSqld } from "../../../packages/db/test/sqld.ts";
import { group } from "./store.ts";
import { CVR, cpuMs, fmt } from "./support.ts";
import { memoFor } from "../test/support/memo-fixtures.ts";

const N = Number(process.env.BENCH_STORE_N ?? 8000);
const IN_FLIGHT = Number(process.env.BENCH_STORE_IN_FLIGHT ?? 2);

/**
 * Intake's write path alone on a sqld the bench starts (as bench/e2e.ts runs it): storeNewMessages
 * in groups of 32 ~17 KB messages, `IN_FLIGHT` groups at once, through the Node server's remote
 * client (openNodeDatabase) and through the web one (openWebDatabase: Node's fetch, as on
 * Workers), alternately, twice each. CPU per message of this process (the client: encoding,
 * HTTP, decoding) and of sqld, from /proc: steadier than end-to-end throughput on a shared machine.
 */
export async function benchStoreRemote(): Promise<void> {
  console.log(
    `\n## Intake's write path alone on sqld (storeNewMessages, ${fmt(N)} messages of ~17 KB in groups of 32, ${IN_FLIGHT} in flight)`,
  );
  const body = new TextEncoder().encode(memoFor(CVR, { name: "v1.2-full" }).xml);
  const clients: [string, (url: string) => Promise<Kysely<Database>>][] = [
    ["Node server's client (openNodeDatabase)", (url) => openNodeDatabase(url)],
    ["web client (openWebDatabase, Node's fetch)", async (url) => openWebDatabase(url)],
  ];
  for (const [label, open] of [...clients, ...clients]) {
    const sqld = await startSqld();
    try {
      const db = await open(sqld.url);
      await migrateToLatest(db);
      await db.insertInto("authorities").values({ cvr: CVR, name: "Bench", created_at: new Date().toISOString() }).execute();
      for (let i = 0; i < 1000 / 32; i++) await storeNewMessages(db, group(body));
      const groups = Array.from({ length: N / 32 }, () => group(body));
      const own0 = process.cpuUsage();
      const sqld0 = cpuMs(sqld.pid);
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          for (let g = groups.pop(); g; g = groups.pop()) await storeNewMessages(db, g);
        }),
      );
      const ms = performance.now() - t0;
      const own = process.cpuUsage(own0);
      const sqldCpu = cpuMs(sqld.pid) - sqld0;
      console.log(
        `${label}: ${fmt((1000 * N) / ms)} msg/s; client CPU ${fmt((own.user + own.system) / N)} µs/msg; sqld CPU ${fmt((1000 * sqldCpu) / N)} µs/msg`,
      );
      await db.destroy();
    } finally {
      await sqld.stop();
    }
  }
}
