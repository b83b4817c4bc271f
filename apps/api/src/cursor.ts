import { ApiError, badCursor } from "./errors.ts";

/**
 * The one cursor codec of every paged list: a cursor is the tag of the list that issued it (see
 * {@link cursorScope}) followed by the keyset values of the page's last item (e.g. `[tag, receivedAt, uuid]`
 * or `[tag, id]`), as a JSON array in unpadded base64url (UTF-8). Clients treat it as opaque.
 * Decoding checks it against the shape the list expects, element by element, and answers anything
 * else (not base64url, not JSON, not an array, the wrong number of values, a value of the wrong
 * type, an empty string, a number that is not a finite integer) with 400 `bad_cursor`, and a
 * well-formed cursor another list issued (another list, authority, pull system or sender key) with
 * 400 `cursor_from_another_list`, before any query runs.
 */
export type CursorShape = readonly ("string" | "number")[];

/** The values a cursor of shape `S` holds: `["string", "number"]` → `[string, number]`. */
export type CursorValues<S extends CursorShape> = { -readonly [K in keyof S]: S[K] extends "number" ? number : string };

/**
 * The scope a list's cursors are bound to: its path (its authority, relocation, …) and, where one
 * path serves many callers' own lists (a pull system's waiting post, a sender key's receipts), the owner.
 */
export function cursorScope(path: string, owner?: string): string {
  return owner === undefined ? path : `${path}#${owner}`;
}

/** The short tag a cursor carries for its scope: 32-bit FNV-1a in base 36 (a mix-up check, not a secret). */
function scopeTag(scope: string): string {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(scope)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(36);
}

/** The cursor, for the list of `scope`, of a page that ends at the item with these keyset values. */
export function encodeCursor(values: readonly (string | number)[], scope: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify([scopeTag(scope), ...values]));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The keyset values in `cursor`, checked against `shape` and issued for `scope`; throws ApiError 400
 * `bad_cursor` or `cursor_from_another_list` otherwise. `untagged` also takes a cursor of the format
 * before tags (the keyset values alone), for a list whose cursors clients keep (the receipts feed).
 */
export function decodeCursor<const S extends CursorShape>(
  cursor: string,
  shape: S,
  scope: string,
  o: { untagged?: boolean } = {},
): CursorValues<S> {
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
  const legacy = o.untagged === true && value.length === shape.length;
  const values: unknown[] = legacy ? value : value.slice(1);
  if (!legacy && value.length !== shape.length + 1) {
    throw badCursor(`it holds ${value.length} values where this list expects ${shape.length + 1}`);
  }
  if (!legacy && (typeof value[0] !== "string" || value[0] === "")) throw badCursor("it names no list");
  shape.forEach((kind, i) => {
    const v: unknown = values[i];
    if (kind === "number" ? !Number.isSafeInteger(v) : typeof v !== "string" || v === "") {
      throw badCursor(`value ${i + 1} is not ${kind === "number" ? "an integer" : "a non-empty string"}`);
    }
  });
  if (!legacy && value[0] !== scopeTag(scope)) {
    const message =
      "the cursor was handed out by another list (another path, authority, system or key): page with this list's own nextCursor";
    throw new ApiError(400, "cursor_from_another_list", message, [{ path: "cursor", code: "cursor_from_another_list", message }]);
  }
  return values as CursorValues<S>;
}

/** `decodeCursor` for an optional `?cursor=`: absent (or empty) is the first page, `undefined`. */
export function decodeCursorParam<const S extends CursorShape>(
  cursor: string | undefined,
  shape: S,
  scope: string,
  o: { untagged?: boolean } = {},
): CursorValues<S> | undefined {
  return cursor ? decodeCursor(cursor, shape, scope, o) : undefined;
}

/**
 * The page of a keyset query that asked for `limit + 1` rows: the first `limit`, and the cursor at
 * the last of them (its keyset values by `keyOf`) when the extra row shows that more follow, else null.
 */
export function keysetPage<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (last: T) => readonly (string | number)[],
  scope: string,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last), scope) : null };
}

/**
 * One page of an already-loaded, ordered list (an authority's systems or contact points: a
 * handful), keyed by `id`; the same `{ items, nextCursor }` shape as the database-paged lists.
 */
export function pageOfList<T extends { id: string }>(
  rows: readonly T[],
  q: { limit: number; cursor?: string | undefined },
  scope: string,
): { page: T[]; nextCursor: string | null } {
  const after = decodeCursorParam(q.cursor, ["string"], scope);
  const start = after ? rows.findIndex((r) => r.id === after[0]) + 1 : 0;
  if (after && start === 0) throw badCursor("it points at no item of this list");
  const page = rows.slice(start, start + q.limit);
  const last = page[page.length - 1];
  return { page, nextCursor: start + q.limit < rows.length && last ? encodeCursor([last.id], scope) : null };
}
