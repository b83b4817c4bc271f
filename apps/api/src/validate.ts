import type { MiddlewareHandler, ValidationTargets } from "hono";
import { zValidator } from "@hono/zod-validator";
import { NoBody, NoQuery } from "@postvej/contract";
import type { z } from "zod";
import type { AppEnv } from "./app-env.ts";
import { ApiError, type ProblemIssue } from "./errors.ts";
import { readJsonBody } from "./json-body.ts";

/** Marks middleware that carries OpenAPI facts, so `/openapi.json` is built from the routes. */
export const OPENAPI_META = Symbol("postvej.openapi");

export type OpenApiMeta =
  | { kind: "input"; target: keyof ValidationTargets; schema: z.ZodType }
  | {
      kind: "doc";
      /** Unique across the document: a client's name for the call. */
      operationId: string;
      summary: string;
      tags: string[];
      responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
      /** The 4xx answers the path can give besides those every path of its kind gives (401, 422, 400 bad_cursor and cursor_from_another_list: openapi.ts adds them). */
      problems?: Record<number, string>;
      /** A body that is not JSON (the MeMo XML), typed as a string. */
      requestBody?: { contentType: string; description: string };
      /** No token needed. */
      public?: true;
    };

/**
 * Validates one part of the request with zod; every failure becomes the same 422 problem,
 * naming each field. A JSON body is read by `readJsonBody` (415 in another media type, 413 when
 * too large, none as `{}`). A query refuses a parameter its schema does not name, as a body refuses
 * an unknown field. Also records the schema for the OpenAPI document.
 */
export function valid<Target extends keyof ValidationTargets, Schema extends z.ZodType>(target: Target, schema: Schema) {
  const known = target === "query" ? queryKeys(schema) : undefined;
  const mw = zValidator(
    target,
    schema,
    (result) => {
      if (!result.success) throw invalidInput(target, result.error.issues);
    },
    // zod's synchronous parse: the schemas have no async refinements, and the default
    // safeParseAsync costs several times more per request. (The option's result type is a
    // conditional on the schema that TypeScript leaves unresolved for a generic one; it is the same.)
    {
      validationFunction: (s, value) => {
        const unknown = known ? Object.keys(value as object).filter((k) => !known.has(k)) : [];
        if (unknown.length > 0) throw invalidInput(target, [unknownKeys(unknown), ...(s.safeParse(value).error?.issues ?? [])]);
        return s.safeParse(value) as never;
      },
    },
  );
  // A JSON body is read here rather than by zValidator, which takes a body of another media type for `{}`.
  const json: MiddlewareHandler<AppEnv> = async (c, next) => {
    let body: unknown;
    try {
      body = await readJsonBody(c.req, c.get("deps").config);
    } catch (err) {
      // A body cut off (at a deadline, the size limit, the client's leaving) stays unread: the answer closes the connection.
      if (err instanceof ApiError && [400, 408, 413].includes(err.status)) c.header("connection", "close");
      throw err;
    }
    const result = schema.safeParse(body);
    if (!result.success) throw invalidInput(target, result.error.issues);
    c.req.addValidatedData("json", result.data as object);
    await next();
  };
  // The same middleware type as zValidator's (its env is the route's, which always carries AppEnv's deps).
  const checked = target === "json" ? (json as unknown as typeof mw) : mw;
  return Object.assign(checked, { [OPENAPI_META]: { kind: "input", target, schema } satisfies OpenApiMeta });
}

/**
 * The body check of a route that takes no body (deactivate, recall, stop, …): none, an empty one or
 * `{}` passes; anything else is refused as every JSON body is (415, 422 naming each field sent).
 * Placed after the path's authorization, like any body's validation.
 */
export function noBody() {
  return valid("json", NoBody);
}

/**
 * The query of a route that takes none (a single item's GET, the status): any parameter is refused,
 * 422 naming it. Every GET of the OpenAPI document has a query check, this or `valid("query", …)`.
 */
export function noQuery() {
  return valid("query", NoQuery);
}

/** The parameters a query schema names (an object schema, refinements allowed); any other schema is a programming error. */
function queryKeys(schema: z.ZodType): Set<string> {
  const shape: unknown = (schema as { shape?: unknown }).shape;
  if (typeof shape !== "object" || shape === null) throw new TypeError("a query schema must be an object schema");
  return new Set(Object.keys(shape));
}

/** The issue zod would give a strict object for these keys (the query's unknown parameters). */
function unknownKeys(keys: string[]): z.core.$ZodIssue {
  return { code: "unrecognized_keys", keys, path: [], message: "" } as unknown as z.core.$ZodIssue;
}

/**
 * 422 `invalid_input` with an issue per field: an unknown field is named itself (zod reports it at
 * the object holding it), and a problem with the whole body or query has the path "".
 */
function invalidInput(target: string, zodIssues: readonly z.core.$ZodIssue[]): ApiError {
  const issues = zodIssues.flatMap((i): ProblemIssue[] => {
    const at = i.path.map(String);
    if (i.code === "unrecognized_keys") {
      const what = target === "query" ? "query parameter" : "field";
      return i.keys.map((key) => ({ path: [...at, key].join("."), code: i.code, message: `unknown ${what} "${key}"` }));
    }
    return [{ path: at.join("."), code: i.code, message: i.message }];
  });
  return new ApiError(422, "invalid_input", `invalid ${target}: ${issues.map((i) => i.path || i.message).join(", ")}`, issues);
}

/** A no-op middleware that documents a route (summary, tags, responses) for the OpenAPI document. */
export function doc(meta: Omit<Extract<OpenApiMeta, { kind: "doc" }>, "kind">): MiddlewareHandler {
  const mw: MiddlewareHandler = async (_c, next) => next();
  return Object.assign(mw, { [OPENAPI_META]: { kind: "doc", ...meta } satisfies OpenApiMeta });
}
