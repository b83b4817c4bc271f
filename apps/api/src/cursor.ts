import { badCursor } from "./errors.ts";

/**
 * The one cursor codec of every paged list: a cursor is the keyset values of the page's last item
 * (e.g. `[receivedAt, uuid]` or `[id]`), as a JSON array in unpadded base64url (UTF-8). Clients
 * treat it as opaque. Decoding checks it against the shape the list expects, element by element,
 * and answers anything else (not base64url, not JSON, not an array, the wrong number of values,
 * a value of the wrong type, an empty string, a number that is not a finite integer) with
 * 400 `bad_cursor`, before any query runs.
 */
export type CursorShape = readonly ("string" | "number")[];

/** The values a cursor of shape `S` holds: `["string", "number"]` → `[string, number]`. */
export type CursorValues<S extends CursorShape> = { -readonly [K in keyof S]: S[K] extends "number" ? number : string };

/** The cursor for a page that ends at the item with these keyset values. */
export function encodeCursor(values: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(values));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The keyset values in `cursor`, checked against `shape`; throws ApiError 400 `bad_cursor` otherwise. */
export function decodeCursor<const S extends CursorShape>(cursor: string, shape: S): CursorValues<S> {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor("it is not base64url");
  let value: unknown;
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw badCursor("it does not decode to JSON");
  }
  if (!Array.isArray(value)) throw badCursor("it does not hold a list of values");
  if (value.length !== shape.length) throw badCursor(`it holds ${value.length} values where this list expects ${shape.length}`);
  shape.forEach((kind, i) => {
    const v: unknown = value[i];
    if (kind === "number" ? !Number.isSafeInteger(v) : typeof v !== "string" || v === "") {
      throw badCursor(`value ${i + 1} is not ${kind === "number" ? "an integer" : "a non-empty string"}`);
    }
  });
  return value as CursorValues<S>;
}

/** `decodeCursor` for an optional `?cursor=`: absent (or empty) is the first page, `undefined`. */
export function decodeCursorParam<const S extends CursorShape>(cursor: string | undefined, shape: S): CursorValues<S> | undefined {
  return cursor ? decodeCursor(cursor, shape) : undefined;
}

/**
 * The page of a keyset query that asked for `limit + 1` rows: the first `limit`, and the cursor at
 * the last of them (its keyset values by `keyOf`) when the extra row shows that more follow, else null.
 */
export function keysetPage<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (last: T) => readonly (string | number)[],
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/**
 * One page of an already-loaded, ordered list (an authority's systems or contact points: a
 * handful), keyed by `id`; the same `{ items, nextCursor }` shape as the database-paged lists.
 */
export function pageOfList<T extends { id: string }>(
  rows: readonly T[],
  q: { limit: number; cursor?: string | undefined },
): { page: T[]; nextCursor: string | null } {
  const after = decodeCursorParam(q.cursor, ["string"]);
  const start = after ? rows.findIndex((r) => r.id === after[0]) + 1 : 0;
  if (after && start === 0) throw badCursor("it points at no item of this list");
  const page = rows.slice(start, start + q.limit);
  const last = page[page.length - 1];
  return { page, nextCursor: start + q.limit < rows.length && last ? encodeCursor([last.id]) : null };
}
