import type { Problem, ProblemIssue } from "@postvej/contract";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type { ProblemIssue };

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  404: "Not found",
  405: "Method not allowed",
  408: "Request timeout",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  500: "Internal server error",
  503: "Service unavailable",
};

/** The one error the API throws for an expected failure; `onError` turns it into problem+json. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly detail: string;
  readonly issues: ProblemIssue[] | undefined;
  constructor(status: ContentfulStatusCode, code: string, detail: string, issues?: ProblemIssue[]) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.issues = issues;
  }
}

/** 404 that looks the same whether the thing is missing or belongs to another authority. */
export function notFound(what: string): ApiError {
  return new ApiError(404, "not_found", `${what} was not found`);
}

/** 400 `bad_cursor` for a `cursor` this API did not hand out for this list; `reason` says what is wrong with it. */
export function badCursor(reason: string): ApiError {
  const message = `the cursor is not one this list handed out: ${reason}`;
  return new ApiError(400, "bad_cursor", message, [{ path: "cursor", code: "bad_cursor", message }]);
}

/** 422 `malformed_json`: the request's JSON body does not parse; `message` says where. */
export function malformedJson(message: string): ApiError {
  return new ApiError(422, "malformed_json", "the request body is not valid JSON", [{ path: "", code: "malformed_json", message }]);
}

/** Renders any error as `application/problem+json`. */
export function problemResponse(c: Context, err: unknown): Response {
  const e = toApiError(err);
  if (e.status >= 500) console.error(err);
  if (e.code === "database_unavailable") c.header("retry-after", "5");
  if (e.status === 401) c.header("www-authenticate", 'Bearer realm="postvej"');
  const body: Problem = {
    type: `https://postvej.dk/problems/${e.code}`,
    title: TITLES[e.status] ?? "Error",
    status: e.status,
    code: e.code,
    detail: e.detail,
  };
  if (e.issues) body.issues = e.issues;
  return c.body(JSON.stringify(body), e.status, { "content-type": "application/problem+json" });
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 413) return new ApiError(413, "payload_too_large", "the request body is larger than allowed");
    if (err.status === 400 && /json/i.test(err.message)) return malformedJson(err.message);
    return new ApiError(err.status as ContentfulStatusCode, "http_error", err.message || "request refused");
  }
  const unavailable = databaseUnavailable(err);
  if (unavailable)
    return new ApiError(
      503,
      "database_unavailable",
      `the database ${unavailable === "timeout" ? "did not answer in time" : "cannot be reached"}; nothing is lost by trying again (a message already stored answers 200)`,
    );
  return new ApiError(500, "internal_error", "something went wrong on our side");
}

/** Node's codes for a connection that could not be made or was lost (the remote database's: handlers make no other requests). */
const UNREACHABLE = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT"]);

/** workerd's fetch error for a connection that could not be made or was lost (it carries no code). */
const WORKERD_UNREACHABLE = /^Network connection lost\.?$/;

/**
 * `timeout` for a deadline that ran out somewhere below (a database request's, see timedFetch in
 * @postvej/db), `unreachable` for a connection to it refused or lost, else null.
 */
function databaseUnavailable(err: unknown): "timeout" | "unreachable" | null {
  for (let e = err, depth = 0; e instanceof Object && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { name?: unknown }).name === "TimeoutError") return "timeout";
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNREACHABLE.has(code)) return "unreachable";
    if (WORKERD_UNREACHABLE.test(String((e as { message?: unknown }).message))) return "unreachable";
  }
  return null;
}
