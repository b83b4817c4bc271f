import { createHash } from "node:crypto";
import { parentPort } from "node:worker_threads";
import { checkMemo } from "../services/memo-check.ts";
import { deflateBody } from "./node-body-codec.ts";

// A MeMo-reading thread: bytes in (lent, not copied), summary or issues out with the bytes handed
// back and, for a valid message, their SHA-256 (hashing 30 MB would stall the main thread ~60 ms)
// and, when asked, their raw DEFLATE for storage (off the main thread too).
parentPort!.on("message", (job: { id: number; bytes: Uint8Array; deflate?: boolean }) => {
  const read = checkMemo(job.bytes);
  const deflated = read.ok && job.deflate ? deflateBody(job.bytes) : undefined;
  const result = read.ok
    ? { ...read, sha256: createHash("sha256").update(job.bytes).digest("hex"), ...(deflated ? { deflated } : {}) }
    : read;
  const moved = [job.bytes.buffer as ArrayBuffer, ...(deflated ? [deflated.buffer as ArrayBuffer] : [])];
  parentPort!.postMessage({ id: job.id, result, bytes: job.bytes }, moved);
});
