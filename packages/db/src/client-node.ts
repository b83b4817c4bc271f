import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createClient } from "@libsql/client";
import { Kysely } from "kysely";
import { LibsqlDialect } from "./libsql-dialect.ts";
import type { Database } from "./schema.ts";

/**
 * Opens a database on Node: `file:` (embedded, WAL, writes serialized in-process), `:memory:`,
 * or a remote `libsql://` / `http://` server.
 */
export async function openNodeDatabase(url: string, authToken?: string): Promise<Kysely<Database>> {
  const embedded = url.startsWith("file:");
  if (embedded) {
    const path = url.slice("file:".length);
    if (path && !path.startsWith(":")) mkdirSync(dirname(path), { recursive: true });
  }
  // One connection for an embedded file: per-connection pragmas (synchronous) then hold for every
  // statement, and the dialect's lock already serializes all access on this single thread.
  const client = createClient({ url, authToken, timeout: 10_000, ...(embedded ? { concurrency: 1 } : {}) });
  if (embedded) {
    await client.execute("PRAGMA journal_mode=WAL");
    await client.execute("PRAGMA synchronous=NORMAL");
  }
  return new Kysely<Database>({
    dialect: new LibsqlDialect(client, { serialize: embedded || url === ":memory:" }),
  });
}
