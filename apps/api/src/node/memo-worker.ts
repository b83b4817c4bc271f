import { parentPort } from "node:worker_threads";
import { checkMemo } from "../services/memo-check.ts";

// A MeMo-reading thread: bytes in, summary or issues out.
parentPort!.on("message", (job: { id: number; bytes: Uint8Array }) => {
  parentPort!.postMessage({ id: job.id, result: checkMemo(job.bytes) });
});
