import { readMemo, type MemoIssue, type MemoSummary } from "@postvej/core/memo";

/** What intake needs from reading a MeMo: its summary, or every problem. */
export type MemoCheck = { ok: true; summary: MemoSummary } | { ok: false; issues: MemoIssue[] };

/** Reads and validates a MeMo here, on this thread (the default on every runtime). */
export function checkMemo(bytes: Uint8Array): MemoCheck {
  const r = readMemo(bytes);
  return r.ok ? { ok: true, summary: r.summary } : { ok: false, issues: r.issues };
}

/** Somewhere to read MeMo documents: this thread, or a pool of worker threads on Node. */
export type MemoChecker = (bytes: Uint8Array) => MemoCheck | Promise<MemoCheck>;
