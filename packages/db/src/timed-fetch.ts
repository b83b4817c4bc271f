/** How long one HTTP request to a remote libSQL server (sqld, Turso) may take unless told otherwise. */
export const DEFAULT_DB_REQUEST_TIMEOUT_MS = 30_000;

/**
 * `fetch` with a deadline, for the libSQL HTTP client: a request to the database that never gets
 * an answer (a half-open connection, a stalled server) fails after `ms` instead of holding its
 * caller, and everything queued behind it, forever. The caller sees an error it can answer.
 * With `uncompressed`, it asks for answers as they are: on Node, inflating every gzipped result
 * (17 KB bodies included) on the event loop costs more than the bytes saved on a local network.
 */
export function timedFetch(
  ms: number,
  o: { uncompressed?: boolean } = {},
): (input: Request | string | URL, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const signal = AbortSignal.timeout(ms);
    // A local binding, never `this.fetch`: workerd refuses fetch called with a foreign `this`.
    const doFetch = fetch;
    if (!o.uncompressed) return doFetch(input, { ...init, signal });
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set("accept-encoding", "identity");
    return doFetch(input, { ...init, headers, signal });
  };
}
