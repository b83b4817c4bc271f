import { ApiError, malformedJson } from "./errors.ts";
import { joinChunks } from "./join-chunks.ts";

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
 * may be left out may be left out itself).
 */
export async function readJsonBody(req: Request): Promise<unknown> {
  const text = new TextDecoder().decode(await readBounded(req, MAX_JSON_BODY_BYTES));
  if (text === "") return {};
  const mediaType = (req.headers.get("content-type") ?? "").split(";")[0]!.trim();
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

async function readBounded(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const reader = req.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return joinChunks(chunks, size);
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, "payload_too_large", `a JSON body may be at most ${maxBytes / 1048576} MB`);
}
