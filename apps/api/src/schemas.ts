import { z } from "zod";

/** Shared request pieces. */
export const cvrParam = z.object({ cvr: z.string() });
export const cvrIdParam = z.object({ cvr: z.string(), id: z.string() });
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});
export const email = z.email();

/** Cursor helpers: an opaque base64url of a JSON array. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return btoa(JSON.stringify(values)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
export function decodeCursor(cursor: string | undefined): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
    return Array.isArray(v) ? (v as (string | number)[]) : null;
  } catch {
    return null;
  }
}

/**
 * One page of an already-loaded, ordered list (an authority's systems or contact points: a
 * handful), keyed by `id`; the same `{ items, nextCursor }` shape as the database-paged lists.
 */
export function pageOfList<T extends { id: string }>(rows: readonly T[], q: { limit: number; cursor?: string | undefined }): { page: T[]; nextCursor: string | null } | null {
  const after = decodeCursor(q.cursor);
  if (q.cursor && (!after || typeof after[0] !== "string")) return null;
  const start = after ? rows.findIndex((r) => r.id === after[0]) + 1 : 0;
  if (after && start === 0) return null;
  const page = rows.slice(start, start + q.limit);
  const last = page[page.length - 1];
  return { page, nextCursor: start + q.limit < rows.length && last ? encodeCursor([last.id]) : null };
}
