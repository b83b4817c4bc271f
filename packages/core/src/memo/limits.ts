/** Bounds the parser enforces before and while reading; anything beyond them is refused. */
export type MemoLimits = {
  /** Largest accepted message in bytes. */
  maxBytes: number;
  /** Deepest element nesting (the MeMo schema needs 7). */
  maxDepth: number;
  /** Most elements in one message. */
  maxElements: number;
  /**
   * Most attributes (namespace declarations included) on one element. Duplicates are found with a
   * set, so the cost stays linear; the limit only bounds one start tag's bookkeeping.
   */
  maxAttributes: number;
};

/** Defaults: 64 MiB, depth 32, 200,000 elements, 10,000 attributes per element. */
export const DEFAULT_MEMO_LIMITS: Readonly<MemoLimits> = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 200_000,
  maxAttributes: 10_000,
});
