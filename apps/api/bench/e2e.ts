import { freePort, startSqld } from "../../../packages/db/test/sqld.ts";
import { bareLimit, fullSamples, postvejEndToEnd, startReceiver, type E2eFigures, type Receiver } from "./e2e-parts.ts";
import { startCountingProxy, type RoundTripKind } from "./sqld-counter.ts";
import { fmt } from "./support.ts";

const N = Number(process.env.BENCH_E2E_N ?? 6000);
const IN_FLIGHT = Number(process.env.BENCH_E2E_IN_FLIGHT ?? 40);
// BENCH_E2E_EMBEDDED_ONLY=1 skips the sqld run (for quick measurements).
const EMBEDDED_ONLY = process.env.BENCH_E2E_EMBEDDED_ONLY === "1";

/** BENCH_SERVER_ENV="A=1 B=2": settings for the server under test, to compare them in one run. */
function serverEnv(): Record<string, string> {
  return Object.fromEntries(
    (process.env.BENCH_SERVER_ENV ?? "")
      .split(" ")
      .filter(Boolean)
      .map((kv) => kv.split("=", 2) as [string, string]),
  );
}

/** One line of figures for an end-to-end run. */
export function e2eLine(label: string, f: E2eFigures): string {
  return (
    `${label} ${fmt(f.perSecond)} msg/s end to end; intake ${fmt(f.intakePerSecond)} msg/s (p99 ${fmt(f.intakeP99, 1)} ms); ` +
    `server CPU ${fmt(f.cpuMsPerMessage, 2)} ms/msg; ${f.dbCpuMsPerMessage === undefined ? "" : `sqld CPU ${fmt(f.dbCpuMsPerMessage, 2)} ms/msg; `}RSS peak ${fmt(f.rssPeakMb)} MB; ` +
    `received ${fmt(f.stats.unique)}, duplicates ${f.stats.duplicates}, bad signatures ${f.stats.badSignatures}; statuses ${JSON.stringify(f.statuses)}`
  );
}

/**
 * End to end, measured from outside: intake over HTTP into the built server, delivery to a
 * receiver in its own process, until the receiver acknowledged every message; on the embedded
 * file, then on a sqld the bench starts (directly, and again behind a proxy that counts round trips), with a bare loop
 * of signed POSTs to the same receiver as the limit, all in one run.
 */
export async function benchEndToEnd(): Promise<void> {
  console.log(
    `\n## End to end: intake over HTTP → signed push to a receiver process (v1.2-full.xml, ${fmt(N)} messages, ${IN_FLIGHT} in flight)`,
  );
  const receiver = await startReceiver(await freePort());
  try {
    const bare = await bareLimit(receiver, N, IN_FLIGHT);

    const embedded = await postvejEndToEnd(receiver, fullSamples(N), { port: await freePort(), inFlight: IN_FLIGHT, env: serverEnv() });
    console.log(e2eLine("postvej, embedded libSQL:", embedded));
    console.log(`  → ${fmt(embedded.perSecond / bare, 3)} × the bare loop`);

    if (EMBEDDED_ONLY) return;
    // Direct first (the figure), then on a fresh sqld behind the counting proxy (its extra hop costs
    // throughput, so only the round-trip counts come from that run).
    const direct = await onSqld(receiver, (url) => ({ url }));
    console.log(e2eLine("postvej, one instance on sqld (direct):", direct.figures));
    console.log(
      `  → ${fmt(direct.figures.perSecond / embedded.perSecond, 2)} × embedded, ${fmt(direct.figures.perSecond / bare, 3)} × the bare loop`,
    );
    const proxied = await onSqld(receiver, async (url) => {
      const proxy = await startCountingProxy(url, await freePort());
      return { url: proxy.url, proxy };
    });
    console.log(e2eLine("postvej, one instance on sqld (through the counting proxy):", proxied.figures));
    console.log(`  → ${fmt(proxied.figures.perSecond / embedded.perSecond, 2)} × embedded`);
    const per = (k: RoundTripKind) => `${k} ${fmt(proxied.counts![k] / N, 3)}`;
    console.log(
      `  round trips to sqld per message (counted at the proxy, from the first request on): ${(["intake", "claim", "bodies", "outcome", "other"] as const).map(per).join(", ")}`,
    );
    console.log(`  bytes to sqld per message: ${fmt(proxied.bytes!.sent / N)} sent, ${fmt(proxied.bytes!.received / N)} received`);
  } finally {
    receiver.stop();
  }
}

type CountingProxy = Awaited<ReturnType<typeof startCountingProxy>>;

/** One end-to-end run on a fresh sqld, reached at the URL `reach` gives (directly or through a proxy). */
async function onSqld(
  receiver: Receiver,
  reach: (sqldUrl: string) => { url: string; proxy?: CountingProxy } | Promise<{ url: string; proxy?: CountingProxy }>,
): Promise<{ figures: E2eFigures; counts?: Record<RoundTripKind, number>; bytes?: { sent: number; received: number } }> {
  const sqld = await startSqld();
  try {
    const { url, proxy } = await reach(sqld.url);
    try {
      const figures = await postvejEndToEnd(receiver, fullSamples(N), {
        port: await freePort(),
        inFlight: IN_FLIGHT,
        env: { ...serverEnv(), LIBSQL_URL: url },
        onServer: () => proxy?.reset(),
        dbPid: sqld.pid,
      });
      return { figures, ...(proxy ? { counts: { ...proxy.counts }, bytes: { ...proxy.bytes } } : {}) };
    } finally {
      await proxy?.stop();
    }
  } finally {
    await sqld.stop();
  }
}
