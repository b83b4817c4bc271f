import { createClient } from "@libsql/client/web";
import type { Kysely } from "kysely";
import { libsqlKysely } from "./libsql-dialect.ts";
import type { Database } from "./schema.ts";

/** Opens a remote libSQL database (sqld or Turso) over HTTP, for Workers and other web runtimes. */
export function openWebDatabase(url: string, authToken?: string): Kysely<Database> {
  return libsqlKysely<Database>(createClient({ url, authToken }));
}
