import { CompiledQuery } from "kysely";
import type { Database } from "../schema.ts";

// The text of a multi-row INSERT by table, columns and row count. Intake's and the push outcomes'
// inserts have the same few shapes, differing only in the number of rows: each text is made once.
const texts = new Map<string, string>();
const TEXTS_MAX = 512;

/**
 * `insert into "table" ("column", …) values (?, …), …` of `rows`, exactly as Kysely compiles
 * `insertInto(table).values(rows)` (same text, same parameters), without building and compiling its
 * query tree each time. Rows of differing columns, or with undefined or expression values, are
 * left to `kysely()`, which compiles them the usual way.
 */
export function insertRows<T extends keyof Database & string>(
  table: T,
  rows: readonly Readonly<Record<string, unknown>>[],
  kysely: () => CompiledQuery,
): CompiledQuery {
  const columns = Object.keys(rows[0] ?? {});
  const parameters: unknown[] = [];
  for (const row of rows) {
    let count = 0;
    for (const _ in row) count++;
    if (count !== columns.length) return kysely();
    for (const column of columns) {
      const value = row[column];
      if (!isPlainValue(value)) return kysely();
      parameters.push(value);
    }
  }
  if (columns.length === 0) return kysely();
  const key = `${table}\u0000${columns.join("\u0000")}\u0000${rows.length}`;
  let text = texts.get(key);
  if (text === undefined) {
    const tuple = `(${columns.map(() => "?").join(", ")})`;
    text = `insert into ${quote(table)} (${columns.map(quote).join(", ")}) values ${Array.from(rows, () => tuple).join(", ")}`;
    if (texts.size >= TEXTS_MAX) texts.clear();
    texts.set(key, text);
  }
  return CompiledQuery.raw(text, parameters);
}

/** A value Kysely binds as a parameter as it is: anything but undefined, a function or a query expression. */
function isPlainValue(value: unknown): boolean {
  if (value === undefined || typeof value === "function") return false;
  return typeof value !== "object" || value === null || !("toOperationNode" in value);
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
