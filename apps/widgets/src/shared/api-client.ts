import type { Problem } from "./api-types.ts";

/** A failed API call, carrying the problem+json body when there was one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

/** What the client needs from its element: where to call, with which token, and how to ask for a new one. */
export interface ApiHost {
  readonly apiBase: string;
  readonly token: string;
  /** Asks the host page for a fresh token; resolves true when the token changed. */
  requestFreshToken(): Promise<boolean>;
}

export type Method = "GET" | "POST";

/** How many times one call may ask the host for a new token. */
const MAX_TOKEN_REQUESTS = 2;

/**
 * Calls the postvej API. On a 401 it retries at once if the host has already replaced the token
 * meanwhile; otherwise it asks the host for a fresh token and retries with it. A second ask is
 * allowed only when the token it was given is itself refused (one minted just before the server's
 * clock jumped, in the demo). With `askForToken: false` it never asks (the token it was called
 * with answers an ask already under way).
 */
export async function apiRequest<T>(
  host: ApiHost,
  method: Method,
  path: string,
  body?: unknown,
  o: { askForToken?: boolean } = {},
): Promise<T> {
  const maxAsks = o.askForToken === false ? 0 : MAX_TOKEN_REQUESTS;
  let sentWith = host.token;
  let response = await send(host, method, path, body);
  let asked = 0;
  while (response.status === 401) {
    if (host.token && host.token !== sentWith) {
      // The host handed over a new token while this call was in flight.
    } else if (asked < maxAsks && (await host.requestFreshToken())) {
      asked++;
    } else {
      break;
    }
    sentWith = host.token;
    response = await send(host, method, path, body);
  }
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

function send(host: ApiHost, method: Method, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (host.token) headers["Authorization"] = `Bearer ${host.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const base = host.apiBase.replace(/\/+$/, "");
  return fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
  });
}

async function toError(response: Response): Promise<ApiError> {
  let problem: Partial<Problem> = {};
  try {
    problem = (await response.json()) as Partial<Problem>;
  } catch {
    // Not JSON: fall back to the status line.
  }
  const message = [problem.title, problem.detail].filter(Boolean).join(": ") || `HTTP ${response.status}`;
  return new ApiError(response.status, problem.code ?? `http_${response.status}`, message);
}
