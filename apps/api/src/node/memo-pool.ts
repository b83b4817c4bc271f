import { Worker } from "node:worker_threads";
import type { MemoCheck, MemoChecker } from "../services/memo-check.ts";

/**
 * Reads MeMo documents on `size` worker threads, so validation runs beside the main thread's HTTP
 * and database work instead of in turn with it. Each job goes to the thread with the fewest
 * pending; a thread that dies fails its pending jobs and is replaced.
 */
export function startMemoPool(size: number): { check: MemoChecker; close(): Promise<void> } {
  type Pending = Map<number, { resolve: (r: MemoCheck) => void; reject: (e: unknown) => void }>;
  const threads: { worker: Worker; pending: Pending }[] = [];
  let nextId = 0;
  let closing = false;
  const spawn = (slot: number) => {
    const worker = new Worker(new URL("./memo-worker.ts", import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 } });
    const pending: Pending = new Map();
    worker.on("message", (m: { id: number; result: MemoCheck }) => {
      pending.get(m.id)?.resolve(m.result);
      pending.delete(m.id);
    });
    const fail = (e: unknown) => {
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
    check: (bytes) => {
      const t = threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<MemoCheck>((resolve, reject) => {
        t.pending.set(id, { resolve, reject });
        t.worker.postMessage({ id, bytes });
      });
    },
    close: async () => {
      closing = true;
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
