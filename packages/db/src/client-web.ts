import type { Kysely } from "kysely";
import { libsqlKysely } from "./libsql-dialect.ts";
import { openRemoteClient } from "./remote-client.ts";
import { DEFAULT_DB_REQUEST_TIMEOUT_MS, timedFetch } from "./timed-fetch.ts";
import type { Database } from "./schema.ts";

/** Opens a remote libSQL database (sqld or Turso) over HTTP, for Workers and other web runtimes. */
export function openWebDatabase(url: string, authToken?: string, o: { requestTimeoutMs?: number } = {}): Kysely<Database> {
  // No client-side statement limit : past it the client starts a waiting
  // statement from whatever statement finishes next, which on Workers may belong to another request
  // (workerd then cancels the waiting one as hung). Each request's own statements are few and bounded.
  const { client, ready } = openRemoteClient(url, authToken, {
    fetch: timedFetch(o.requestTimeoutMs ?? DEFAULT_DB_REQUEST_TIMEOUT_MS),
    concurrency: 0,
  });
  return libsqlKysely<Database>(client, { ready });
}
