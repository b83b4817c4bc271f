import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { checkMemo, type MemoCheck, type MemoChecker } from "../services/memo-check.ts";

/** The thread's module beside this one, in the same form: source (.ts) or the build (.js). */
const WORKER_MODULE = new URL(`./memo-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);

/** Documents up to this size are read at once on the calling thread: handing them over costs more. */
const READ_HERE_MAX_BYTES = 4096;

/** Parse threads when POSTVEJ_PARSE_THREADS is unset: one per core beyond the main thread's, at most 4. */
export function defaultParseThreads(): number {
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

/**
 * Reads MeMo documents on `size` worker threads, so validation runs beside the main thread's HTTP
 * and database work instead of in turn with it. Each job goes to the thread with the fewest
 * pending; a thread that dies fails its pending jobs and is replaced. A thread reads one
 * document at a time, so even the largest ones (30 MB) never pile up in one heap.
 */
export function startMemoPool(size: number, workerModule: URL = WORKER_MODULE): { check: MemoChecker; close(): Promise<void> } {
  type Pending = Map<number, { resolve: (r: MemoCheck) => void; reject: (e: unknown) => void }>;
  const threads: { worker: Worker; pending: Pending }[] = [];
  let nextId = 0;
  let closing = false;
  const spawn = (slot: number) => {
    const worker = new Worker(workerModule, { resourceLimits: { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 4 } });
    const pending: Pending = new Map();
    let failed = false;
    worker.on("message", (m: { id: number; result: MemoCheck; bytes: Uint8Array }) => {
      pending.get(m.id)?.resolve({ ...m.result, bytes: m.bytes });
      pending.delete(m.id);
    });
    // A dying worker reports an error and then its exit: fail its jobs and replace it once.
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      for (const p of pending.values()) p.reject(e);
      pending.clear();
      if (!closing) spawn(slot);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => code !== 0 && fail(new Error(`MeMo worker exited with ${code}`)));
    worker.unref();
    threads[slot] = { worker, pending };
  };
  for (let i = 0; i < size; i++) spawn(i);
  return {
    check: (bytes, opts) => {
      if (bytes.length <= READ_HERE_MAX_BYTES) return checkMemo(bytes);
      const t = threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      // Bytes that own their whole buffer are lent to the thread (moved, not copied) and come back
      // with the answer; until then the caller's view is empty.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      return new Promise<MemoCheck>((resolve, reject) => {
        t.pending.set(id, { resolve, reject });
        t.worker.postMessage({ id, bytes, deflate: opts?.deflate === true }, own ? [bytes.buffer as ArrayBuffer] : []);
      });
    },
    close: async () => {
      closing = true;
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
