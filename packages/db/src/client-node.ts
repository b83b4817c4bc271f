import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createClient } from "@libsql/client";
import { sql, type Kysely } from "kysely";
import { libsqlKysely } from "./libsql-dialect.ts";
import { useLeanHranaEncoding } from "./lean-hrana-encoding.ts";
import { nodeDbFetch } from "./node-db-fetch.ts";
import { openRemoteClient } from "./remote-client.ts";
import { DEFAULT_DB_REQUEST_TIMEOUT_MS } from "./timed-fetch.ts";
import type { Database } from "./schema.ts";

/** Per-connection settings of an embedded database. */
const EMBEDDED_PRAGMAS = ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"];

/**
 * Opens a database on Node: `file:` (embedded, WAL, writes serialized in-process), `:memory:`,
 * or a remote `libsql://` / `http://` server (each HTTP request to it bounded by `requestTimeoutMs`).
 */
export async function openNodeDatabase(url: string, authToken?: string, o: { requestTimeoutMs?: number } = {}): Promise<Kysely<Database>> {
  const embedded = url.startsWith("file:");
  if (embedded) {
    const path = url.slice("file:".length);
    if (path && !path.startsWith(":")) mkdirSync(dirname(path), { recursive: true });
  }
  // One connection for an embedded file: per-connection pragmas (synchronous) then hold for every
  // statement, and the dialect's lock serializes all access to it from this thread.
  if (!embedded && url !== ":memory:") {
    await useLeanHranaEncoding();
    const remote = openRemoteClient(url, authToken, {
      fetch: nodeDbFetch(o.requestTimeoutMs ?? DEFAULT_DB_REQUEST_TIMEOUT_MS),
    });
    return libsqlKysely<Database>(remote.client, { ready: remote.ready });
  }
  const client = createClient({ url, authToken, timeout: 10_000, ...(embedded ? { concurrency: 1 } : {}) });
  if (embedded) for (const pragma of EMBEDDED_PRAGMAS) await client.execute(pragma);
  return libsqlKysely<Database>(client, { serialize: embedded || url === ":memory:" });
}

/**
 * Copies everything in an embedded database's write-ahead log into the database file and empties
 * the log: what a server does before it stops, so the file on disk is whole on its own.
 */
export async function checkpointDatabase(db: Kysely<Database>): Promise<void> {
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
}
