import type { HonoRequest } from "hono";
import type { AppConfig } from "./config.ts";
import { ApiError, malformedJson } from "./errors.ts";
import { OUTSIDE_INTAKE_BUDGET, readBodyWithin } from "./read-body.ts";

/** Largest JSON request body read (413 above); the largest the API takes, a relocation naming 10,000 messageUUIDs, stays near 1 MB. */
export const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;

/** `application/json` and `application/…+json`, as Hono's json validator has them. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * The request's JSON body, read ahead of its validation so the validator sees what was sent (Hono's
 * own validator reads a body of another media type as `{}`: a PATCH that changed nothing answered
 * 200, and a rotation's `graceHours: 0` was dropped for the default). A body of another media type
 * is 415 `unsupported_media_type`, one over MAX_JSON_BODY_BYTES 413, one that does not parse (or is
 * not UTF-8) 422 `malformed_json`, a string holding a lone surrogate 422 `invalid_input` naming it; an empty body is `{}` whatever its Content-Type (a body every field of which
 * may be left out may be left out itself). It is read within the same deadlines as a MeMo
 * (`readBodyWithin`: 408 `request_timeout` when it pauses or takes too long, 400 `incomplete_body`
 * when the client goes away), so a client trickling a JSON body cannot hold a request open.
 */
export async function readJsonBody(req: HonoRequest, deadlines: Pick<AppConfig, "bodyIdleTimeoutMs" | "bodyTimeoutMs">): Promise<unknown> {
  const bytes = await readBodyWithin(req, {
    maxBytes: MAX_JSON_BODY_BYTES,
    idleTimeoutMs: deadlines.bodyIdleTimeoutMs,
    timeoutMs: deadlines.bodyTimeoutMs,
    hold: OUTSIDE_INTAKE_BUDGET,
  }).catch((e: unknown) => {
    throw e instanceof ApiError && e.status === 413 ? tooLarge(MAX_JSON_BODY_BYTES) : e;
  });
  if (bytes.byteLength === 0) return {};
  const mediaType = (req.header("content-type") ?? "").split(";")[0]!.trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `send the JSON body with Content-Type: application/json (got ${mediaType === "" ? "none" : JSON.stringify(mediaType)})`,
    );
  }
  let value: unknown;
  try {
    // JSON is UTF-8 (RFC 8259): bytes that are not are refused, never read as U+FFFD.
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
  } catch (e) {
    throw malformedJson(e instanceof TypeError ? "the body is not UTF-8" : e instanceof Error ? e.message : String(e));
  }
  const bad = illFormedText(value, [], []);
  if (bad.length > 0) {
    const paths = bad.map((p) => p.join("."));
    throw new ApiError(
      422,
      "invalid_input",
      `invalid json: ${paths.map((p) => p || "the body").join(", ")}: not valid Unicode text`,
      paths.map((path) => ({
        path,
        code: "invalid_text",
        message: "holds a lone UTF-16 surrogate (such as \\ud800), which is no character",
      })),
    );
  }
  return value;
}

/**
 * Adds to `found` the path of every string (and object key) in `value` that holds a lone surrogate
 * (a UTF-16 surrogate without its other half: JSON's `\ud800` escape can write one, but it is no text).
 */
function illFormedText(value: unknown, at: (string | number)[], found: (string | number)[][]): (string | number)[][] {
  if (typeof value === "string") {
    if (!value.isWellFormed()) found.push(at);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => illFormedText(v, [...at, i], found));
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (!key.isWellFormed()) found.push([...at, key]);
      else illFormedText(v, [...at, key], found);
    }
  }
  return found;
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, "payload_too_large", `a JSON body may be at most ${maxBytes / 1048576} MB`);
}
