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
 * is 415 `unsupported_media_type`, one over MAX_JSON_BODY_BYTES 413, one that does not parse 422
 * `malformed_json`; an empty body is `{}` whatever its Content-Type (a body every field of which
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
  const text = new TextDecoder().decode(bytes);
  if (text === "") return {};
  const mediaType = (req.header("content-type") ?? "").split(";")[0]!.trim();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `send the JSON body with Content-Type: application/json (got ${mediaType === "" ? "none" : JSON.stringify(mediaType)})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw malformedJson(e instanceof Error ? e.message : String(e));
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, "payload_too_large", `a JSON body may be at most ${maxBytes / 1048576} MB`);
}
