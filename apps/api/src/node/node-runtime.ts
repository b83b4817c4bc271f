import { createHash } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { migrateToLatest } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import { systemClock, simulatedClock } from "../clock.ts";
import { databaseUrl, type AppConfig } from "../config.ts";
import { createNodeTransport } from "../mail/mail-config.ts";
import { createRuntime, type Runtime } from "../runtime.ts";
import { groupCommitStore } from "../services/intake-writer.ts";
import { sealStoredSecrets } from "../services/signing-secrets.ts";
import { nodeBodyCodec } from "./node-body-codec.ts";
import { nodePayloadSigner } from "./node-signing.ts";
import { fetchThrough, publicOnlyAgent } from "./public-only-fetch.ts";
import { leanPushFetch } from "./push-transport.ts";

/** `file:./data/x.db` relative to `baseDir`; other URLs unchanged. */
export function resolveLibsqlUrl(url: string, baseDir: string): string {
  if (!url.startsWith("file:")) return url;
  const path = url.slice("file:".length);
  return isAbsolute(path) ? url : `file:${resolve(baseDir, path)}`;
}

/** Opens the database, applies migrations and builds the runtime on Node; relative paths mean `baseDir`. */
export async function createNodeRuntime(config: AppConfig, baseDir: string): Promise<Runtime> {
  const { authToken, requestTimeoutMs } = config.database;
  const url = resolveLibsqlUrl(databaseUrl(config), baseDir);
  const db = await openNodeDatabase(url, authToken, { requestTimeoutMs });
  await migrateToLatest(db);
  // With POSTVEJ_SECRET_KEY set, no signing secret stays in clear from before it was.
  await sealStoredSecrets(db, config.secretKey);
  const clock = config.simulatedClock ? simulatedClock(db) : systemClock;
  const mail = createNodeTransport(config.mail.kind === "file" ? { ...config.mail, dir: resolve(baseDir, config.mail.dir) } : config.mail);
  const hashBytes = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
  return createRuntime({
    db,
    config,
    clock,
    mail,
    hashBytes,
    bodyCodec: nodeBodyCodec,
    signPayload: nodePayloadSigner(),
    // Pushes go out over undici's request (push-transport.ts); in production they connect only to
    // public addresses, whatever the endpoint's name resolves to.
    fetch: config.production ? productionPushFetch() : leanPushFetch(),
    // One long-lived process: concurrent intakes share a commit (never on Workers; see intake-writer.ts).
    // On a remote database two groups are written at once (a batch there mostly waits on the network).
    storeMessage: groupCommitStore(db, 200, url.startsWith("file:") || url === ":memory:" ? 1 : 2),
  });
}

/** The production push fetch: the lean transport, and fetch for what it hands on, both through the public-only agent. */
function productionPushFetch(): typeof fetch {
  const agent = publicOnlyAgent();
  return leanPushFetch({ dispatcher: agent, fallback: fetchThrough(agent) });
}
