import { z } from "zod";
import { decodeCursorParam, encodeCursor } from "./cursor.ts";
import { badCursor } from "./errors.ts";

/** Shared request pieces. */
export const cvrParam = z.object({ cvr: z.string() });
export const cvrIdParam = z.object({ cvr: z.string(), id: z.string() });
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional().describe("opaque: the nextCursor of the page before; any other value answers 400 bad_cursor"),
});
export const email = z.email();

/**
 * One page of an already-loaded, ordered list (an authority's systems or contact points: a
 * handful), keyed by `id`; the same `{ items, nextCursor }` shape as the database-paged lists.
 */
export function pageOfList<T extends { id: string }>(rows: readonly T[], q: { limit: number; cursor?: string | undefined }): { page: T[]; nextCursor: string | null } {
  const after = decodeCursorParam(q.cursor, ["string"]);
  const start = after ? rows.findIndex((r) => r.id === after[0]) + 1 : 0;
  if (after && start === 0) throw badCursor("it points at no item of this list");
  const page = rows.slice(start, start + q.limit);
  const last = page[page.length - 1];
  return { page, nextCursor: start + q.limit < rows.length && last ? encodeCursor([last.id]) : null };
}
