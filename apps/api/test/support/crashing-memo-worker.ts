import { parentPort } from "node:worker_threads";

// A stand-in for the MeMo thread that dies (exit code 1) on a document starting with "CRASH" and
// otherwise answers like the real one, to test how the pool survives a thread's death.
const { checkMemo } = await import("../../src/services/memo-check.ts");
parentPort!.on("message", (job: { id: number; bytes: Uint8Array }) => {
  if (new TextDecoder().decode(job.bytes.subarray(0, 5)) === "CRASH") process.exit(1);
  parentPort!.postMessage({ id: job.id, result: checkMemo(job.bytes), bytes: job.bytes }, [job.bytes.buffer as ArrayBuffer]);
});
