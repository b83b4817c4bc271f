import { readMemo, type MemoIssue, type MemoSummary } from "@postvej/core/memo";

/**
 * What intake needs from reading a MeMo: its summary, or every problem. A reader elsewhere (a
 * worker thread) also hands back the bytes it was lent (`bytes`), their SHA-256 (`sha256`) and,
 * when asked to, their raw DEFLATE (`deflated`).
 */
export type MemoCheck = (
  { ok: true; summary: MemoSummary; sha256?: string; deflated?: Uint8Array } | { ok: false; issues: MemoIssue[] }
) & {
  bytes?: Uint8Array;
};

/** Reads and validates a MeMo here, on this thread (the default on every runtime). */
export function checkMemo(bytes: Uint8Array): MemoCheck {
  const r = readMemo(bytes);
  return r.ok ? { ok: true, summary: r.summary } : { ok: false, issues: r.issues };
}

/** Somewhere to read MeMo documents: this thread, or a pool of worker threads on Node (which deflates a valid one when asked). */
export type MemoChecker = (bytes: Uint8Array, opts?: { deflate?: boolean }) => MemoCheck | Promise<MemoCheck>;
