import type { HonoRequest } from "hono";

/**
 * A request's body, at most `maxBytes` long, or null when it is longer. A declared Content-Length
 * decides before anything is read (and lets the Node server hand over its buffer directly); a
 * streamed body is counted as it arrives and abandoned at the limit.
 */
export async function readBodyWithin(req: HonoRequest, maxBytes: number): Promise<Uint8Array | null> {
  const declared = declaredLength(req);
  if (declared !== null) return declared > maxBytes ? null : new Uint8Array(await req.arrayBuffer());
  const reader = req.raw.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

/** The body's length as its Content-Length declares it, or null for a streamed (chunked) body. */
export function declaredLength(req: HonoRequest): number | null {
  const declared = req.header("content-length");
  if (declared === undefined || req.header("transfer-encoding") !== undefined) return null;
  const n = Number(declared);
  return Number.isFinite(n) ? n : null;
}
