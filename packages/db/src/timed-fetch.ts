/** How long one HTTP request to a remote libSQL server (sqld, Turso) may take unless told otherwise. */
export const DEFAULT_DB_REQUEST_TIMEOUT_MS = 30_000;

/**
 * `fetch` with a deadline, for the libSQL HTTP client: a request to the database that never gets
 * an answer (a half-open connection, a stalled server) fails after `ms` instead of holding its
 * caller, and everything queued behind it, forever. The caller sees an error it can answer.
 * (Node's remote client uses `nodeDbFetch` instead, with the same deadline.)
 */
export function timedFetch(ms: number): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const signal = AbortSignal.timeout(ms);
    // A local binding, never `this.fetch`: workerd refuses fetch called with a foreign `this`.
    const doFetch = fetch;
    return doFetch(input, { ...init, signal });
  };
}
