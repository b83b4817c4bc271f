import { createHash } from "node:crypto";
import { parentPort } from "node:worker_threads";
import { checkMemo } from "../services/memo-check.ts";

// A MeMo-reading thread: bytes in (lent, not copied), summary or issues out with the bytes handed
// back and, for a valid message, their SHA-256 (hashing 30 MB would stall the main thread ~60 ms).
parentPort!.on("message", (job: { id: number; bytes: Uint8Array }) => {
  const read = checkMemo(job.bytes);
  const result = read.ok ? { ...read, sha256: createHash("sha256").update(job.bytes).digest("hex") } : read;
  parentPort!.postMessage({ id: job.id, result, bytes: job.bytes }, [job.bytes.buffer as ArrayBuffer]);
});
