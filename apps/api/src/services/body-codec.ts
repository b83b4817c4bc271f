import type { BodyEncoding, StoredBody } from "@postvej/db";
import { ApiError } from "../errors.ts";
import { joinChunks } from "../join-chunks.ts";

/** Deflates and inflates stored message bodies (raw DEFLATE, RFC 1951); the Node entry passes zlib's. */
export type BodyCodec = {
  deflate(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Throws when `bytes` are not raw DEFLATE or would inflate to more than `maxBytes`. */
  inflate(bytes: Uint8Array, maxBytes: number): Uint8Array | Promise<Uint8Array>;
};

/** Bodies smaller than this are stored as they are: deflating them saves next to nothing. */
export const MIN_DEFLATE_BYTES = 1024;

/** A deflated body is stored only when it saves at least a tenth of the original bytes. */
const MAX_DEFLATED_SHARE = 0.9;

/** A body that cannot be read back (a corrupt row, or one that does not inflate to its recorded size): 500 `stored_body_unreadable`. */
export class StoredBodyError extends ApiError {
  override name = "StoredBodyError";
  constructor(detail: string, options?: { cause: unknown }) {
    super(500, "stored_body_unreadable", detail);
    if (options) this.cause = options.cause;
  }
}

/** How a body is stored: `deflated` (the deflate of `bytes`) when there is one and it saves enough, else `bytes`. */
export function storedForm(bytes: Uint8Array, deflated: Uint8Array | undefined): { body: Uint8Array; encoding: BodyEncoding } {
  if (deflated && bytes.length >= MIN_DEFLATE_BYTES && deflated.length <= bytes.length * MAX_DEFLATED_SHARE) {
    return { body: deflated, encoding: "deflate-raw" };
  }
  return { body: bytes, encoding: "identity" };
}

/** What intake's Submission takes to store bodies deflated when the runtime's config says so: `{ deflate }`, else nothing. */
export function intakeDeflate(rt: { config: { compressBodies: boolean }; bodyCodec?: BodyCodec | undefined }): {
  deflate?: BodyCodec["deflate"];
} {
  return rt.config.compressBodies ? { deflate: (rt.bodyCodec ?? webBodyCodec).deflate } : {};
}

/**
 * A body's stored form at intake: the deflate a MeMo reader made already (`deflated`), else one
 * made here with `deflate` (compression on, the body large enough), kept only when it saves enough.
 */
export async function bodyToStore(
  bytes: Uint8Array,
  deflated: Uint8Array | undefined,
  deflate: BodyCodec["deflate"] | undefined,
): Promise<{ body: Uint8Array; encoding: BodyEncoding }> {
  if (!deflate) return { body: bytes, encoding: "identity" };
  return storedForm(bytes, deflated ?? (bytes.length >= MIN_DEFLATE_BYTES ? await deflate(bytes) : undefined));
}

/** The web-standard codec (CompressionStream, DecompressionStream): the Worker's, and the default anywhere. */
export const webBodyCodec: BodyCodec = {
  deflate: (bytes) => through(new CompressionStream("deflate-raw"), bytes, Number.POSITIVE_INFINITY),
  inflate: (bytes, maxBytes) => through(new DecompressionStream("deflate-raw"), bytes, maxBytes),
};

/**
 * A message's original bytes from its stored form, checked against the size recorded at intake:
 * a row that does not inflate, or inflates to another size, throws {@link StoredBodyError}.
 */
export async function readStoredBody(codec: BodyCodec | undefined, uuid: string, stored: StoredBody): Promise<Uint8Array> {
  if (stored.encoding === "identity") return stored.body;
  let bytes: Uint8Array;
  try {
    bytes = await (codec ?? webBodyCodec).inflate(stored.body, stored.sizeBytes);
  } catch (err) {
    throw new StoredBodyError(`message ${uuid}: its stored body (${stored.encoding}) cannot be read: ${String(err)}`, { cause: err });
  }
  if (bytes.length !== stored.sizeBytes) {
    throw new StoredBodyError(`message ${uuid}: its stored body inflates to ${bytes.length} bytes, not the ${stored.sizeBytes} received`);
  }
  return bytes;
}

/** `bytes` through a (de)compression stream, refusing output beyond `maxBytes`. */
async function through(stream: CompressionStream | DecompressionStream, bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // Not awaited: the output is read below, and a failure of the input surfaces as the output's.
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    length += r.value.length;
    if (length > maxBytes) {
      await reader.cancel();
      throw new RangeError(`inflates beyond ${maxBytes} bytes`);
    }
    chunks.push(r.value);
  }
  return chunks.length === 1 ? chunks[0]! : joinChunks(chunks, length);
}
