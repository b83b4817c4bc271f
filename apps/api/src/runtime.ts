import type { ClaimedMessage, Database } from "@postvej/db";
import type { Kysely } from "kysely";
import { apiKeyCache, type ApiKeyCache } from "./auth.ts";
import type { Clock } from "./clock.ts";
import type { AppConfig } from "./config.ts";
import type { DeliveryLimits } from "./delivery/deliver-due.ts";
import type { PayloadSigner } from "./delivery/push-client.ts";
import { runJobs } from "./jobs/run-jobs.ts";
import type { MailTransport } from "./mail/transport.ts";
import type { BodyCodec } from "./services/body-codec.ts";
import { intakeBudget, type ByteBudget } from "./services/byte-budget.ts";
import { directStore, type MessageStore } from "./services/intake-writer.ts";
import type { MemoChecker } from "./services/memo-check.ts";
import { routingSnapshots, type RoutingSnapshots } from "./services/routing-snapshot.ts";

/**
 * Everything postvej runs on, built once by each entry (node/node-runtime.ts, worker.ts) and
 * handed to the app, the jobs and the deliveries alike: the dependencies, and every cache this
 * process (or Worker isolate) keeps between requests. Nothing of the kind lives at module level;
 * the only module state is the Worker isolate's own list of its runtimes and database clients
 * (worker.ts). Jobs and deliveries take `Pick<>` slices of it (JobDeps, DeliveryDeps).
 */
export type Runtime = {
  db: Kysely<Database>;
  config: AppConfig;
  clock: Clock;
  mail: MailTransport;
  /** Intake's routing snapshots, per authority (services/routing-snapshot.ts). */
  routing: RoutingSnapshots;
  /** Bytes of MeMo bodies intake works on at once (services/byte-budget.ts). */
  intakeBudget: ByteBudget;
  /** API keys checked in the last minute, trusted while no revocation is seen (auth.ts). */
  apiKeys: ApiKeyCache;
  /** Where intake writes accepted messages; the Node server's is a group commit (see services/intake-writer.ts). */
  storeMessage: MessageStore;
  /** SHA-256 in hex of a message body; the Node entry passes node:crypto's (Web Crypto's is far slower there). */
  hashBytes?(bytes: Uint8Array): string | Promise<string>;
  /** Deflates and inflates stored bodies; the Node entry passes zlib's (services/body-codec.ts's web streams otherwise). */
  bodyCodec?: BodyCodec;
  /** Where intake reads MeMo documents; the Node entry passes a worker-thread pool. */
  checkMemo?: MemoChecker;
  /** Signs pushes; the Node entry passes node:crypto's HMAC (core's Web Crypto `signPayload` otherwise). */
  signPayload?: PayloadSigner;
  /** How pushes reach the network; in production on Node, one that connects only to public addresses. */
  fetch?: typeof fetch;
  /** Jitter of retry delays; tests fix it. */
  random?: () => number;
  /** The wall clock for leases (milliseconds since the epoch); tests inject one. */
  wallClock?: () => number;
  deliveryLimits?: DeliveryLimits;
  /**
   * On Workers, claimed deliveries fan out through a Queue instead of running in this invocation;
   * without it (Node), they are pushed right here.
   */
  dispatchDeliveries?: (token: string, claimed: ClaimedMessage[]) => Promise<void>;
  /** Runs every scheduled job once at `now` (the scheduler's tick, and the simulated clock's fast-forward). */
  runJobs(now: Date): Promise<unknown>;
  /**
   * Starts a delivery run now, so fresh post need not wait for the next tick (for `systemId`'s post
   * when given); returns the run's promise where the runtime must be told to keep it alive (Workers).
   */
  kickDeliveries?(systemId?: string): Promise<void> | void;
  /** Asks for a receipt run now, after a request made an outcome (a pull receipt, a recall); none on Workers, whose cron pushes them. */
  kickReceipts?(): void;
  /**
   * Reads a file of the widgets' build output (apps/widgets/dist) by name, null when it is not
   * there: the Node entry from disk, the Worker through its static-assets binding (env.ASSETS).
   * Without it the widget bundle's routes answer 404 (routes/widget-assets.ts).
   */
  widgetAsset?(name: string): Promise<Uint8Array | null>;
  /** The demo host's extras (only in the local demo). */
  demo?: DemoHost;
};

/** The local demo's receiver switch and seeded ids. */
export type DemoHost = {
  authority: { cvr: string; name: string };
  adminKeyId: string;
  senderKeyId: string;
  systems: { id: string; name: string }[];
  setUp(systemId: string, up: boolean): boolean;
  /** Whether the demo receiver answers for the system now (undefined for no such demo system). */
  isUp(systemId: string): boolean | undefined;
};

/** What an entry brings; the caches are made here. */
export type RuntimeParts = Pick<Runtime, "db" | "config" | "clock" | "mail"> & Partial<Omit<Runtime, "db" | "config" | "clock" | "mail">>;

/**
 * A runtime over `parts`, with fresh caches. Unless given, intake writes each message on its own
 * (the only store allowed on Workers) and `runJobs` runs the jobs on this runtime.
 */
export function createRuntime(parts: RuntimeParts): Runtime {
  const runtime: Runtime = {
    routing: routingSnapshots(parts.db),
    intakeBudget: intakeBudget(parts.config),
    apiKeys: apiKeyCache(parts.db),
    storeMessage: directStore(parts.db),
    runJobs: (now) => runJobs(runtime, now),
    ...parts,
  };
  return runtime;
}
