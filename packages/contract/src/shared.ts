import { z } from "zod";

/** A time on the wire. */
export const iso = z.string().describe("ISO 8601 UTC time");

/** `{ items, nextCursor }` around an item schema: every list of the API pages this way. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export type Page<T> = { items: T[]; nextCursor: string | null };

export const Protocol = z.enum(["REST_PUSH", "REST_PULL"]).meta({ id: "Protocol" });
export type Protocol = z.infer<typeof Protocol>;

export const MemoVersion = z.enum(["1.1", "1.2"]).meta({ id: "MemoVersion" });
export type MemoVersion = z.infer<typeof MemoVersion>;

/** What a portal token may do. */
export const Capability = z.enum(["view", "relocate", "reactivate"]).meta({ id: "Capability" });
export type Capability = z.infer<typeof Capability>;

/** `?limit&cursor` of every list. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .optional()
    .describe(
      "opaque: the nextCursor of the page before; any other value answers 400 bad_cursor, another list's 400 cursor_from_another_list",
    ),
});

/** The body of an action that takes none (deactivate, recall, …): left out, empty or `{}`; any field is refused like an unknown one. */
export const NoBody = z.object({}).strict().meta({ id: "NoBody", description: "no fields: leave the body out, or send {}" });
/** The query of a route that takes none: any parameter is refused (422 naming it), as an unknown one is on every route. */
export const NoQuery = z.object({});

export const CvrParam = z.object({ cvr: z.string() });
export const CvrIdParam = z.object({ cvr: z.string(), id: z.string() });
export const UuidParam = z.object({ uuid: z.string() });
export const CvrUuidParam = z.object({ cvr: z.string(), uuid: z.string() });
export const email = z.email();
/** A name or label people give (1 to 200 characters once trimmed), without control characters: it shows in panels, logs and e-mails. */
export const displayName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^\P{Cc}*$/u, "must not contain control characters");

/** Who asked for a manual redelivery or retry-now: the API key's label or the portal user's name. */
export const Actor = z.object({ kind: z.enum(["api_key", "portal_user"]), name: z.string() }).meta({ id: "Actor" });
export type Actor = z.infer<typeof Actor>;
