import { type Client, createClient } from "@libsql/client/web";

/**
 * Hrana over protobuf (blobs as raw bytes instead of base64 inside JSON), posted to sqld's
 * `v3-protobuf/pipeline`, with the requests of protocol 2: told version 2, the client keeps every
 * request exactly as on `v2/pipeline` (no cursors, which its transactions would use on 3 and which
 * lose a constraint error's code on sqld 0.24).
 */
const PROTOBUF_PIPELINE = {
  versionPath: "v3-protobuf",
  pipelinePath: "v3-protobuf/pipeline",
  cursorPath: undefined,
  version: 2,
  encoding: "protobuf",
} as const;

/** The parts of `@libsql/hrana-client`'s HTTP client that pick the endpoint its streams post to. */
interface HranaEndpointHolder {
  _endpoint: unknown;
  _endpointPromise: Promise<unknown>;
}

/** How to reach the server: every request through `fetch`; at most `concurrency` statements at once (0: no limit). */
export type RemoteOptions = { fetch: typeof globalThis.fetch; concurrency?: number };

/** A remote libSQL client and, once `ready` settles, the encoding it speaks to the server. */
export interface RemoteClient {
  client: Client;
  ready: Promise<"protobuf" | "json">;
}

/**
 * Opens an HTTP client to sqld or Turso that speaks Hrana over protobuf when the server serves it.
 *
 * `@libsql/client` opens its Hrana client on protocol 2 (JSON, every 17 KB body base64 inside it, both
 * ways), which dominates a server's CPU on sqld. Here its Hrana client is switched to the
 * `v3-protobuf` endpoint (see `PROTOBUF_PIPELINE`) after one probe (`GET /v3-protobuf`, through
 * `fetch`); a server without it, or a probe that fails, keeps JSON. Statements must wait for `ready`.
 */
export function openRemoteClient(url: string, authToken: string | undefined, o: RemoteOptions): RemoteClient {
  const { fetch, concurrency } = o;
  const client = createClient({ url, ...(authToken ? { authToken } : {}), ...(concurrency === undefined ? {} : { concurrency }), fetch });
  return { client, ready: switchToProtobuf(client, probeUrl(url), fetch) };
}

/** Where the server answers whether it serves Hrana 3 over protobuf (as `@libsql/client` maps `libsql:`). */
function probeUrl(url: string): URL {
  const base = new URL(url.replace(/^libsql:/, "https:"));
  base.search = "";
  return new URL(PROTOBUF_PIPELINE.versionPath, base);
}

async function switchToProtobuf(client: Client, probe: URL, fetch: typeof globalThis.fetch): Promise<"protobuf" | "json"> {
  // An unused transaction's stream names the Hrana client (`HttpStream.client()`); closing it sends nothing.
  const tx = await client.transaction("write");
  const hrana = (tx as unknown as { _getStream(): { client(): Partial<HranaEndpointHolder> } })._getStream().client();
  tx.close();
  if (!("_endpointPromise" in hrana) || !(await serves(fetch, probe))) return "json";
  hrana._endpoint = PROTOBUF_PIPELINE;
  hrana._endpointPromise = Promise.resolve(PROTOBUF_PIPELINE);
  return "protobuf";
}

async function serves(fetch: typeof globalThis.fetch, probe: URL): Promise<boolean> {
  try {
    const res = await fetch(probe.toString(), { method: "GET" });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
