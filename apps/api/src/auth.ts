import { sha256Hex } from "@postvej/core/ids";
import { KEY_STANDING, keyStanding } from "@postvej/core/lifecycle";
import { findApiKeyByHash, findPortalSession, getSetting, touchApiKey, type Db } from "@postvej/db";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.ts";
import { ApiError, notFound } from "./errors.ts";
import type { Capability } from "@postvej/contract";

/** What a portal token may do. */
export type { Capability };

/** Who is calling. */
export type Principal =
  | { kind: "operator" }
  | {
      kind: "api_key";
      keyId: string;
      authorityCvr: string;
      role: "sender" | "admin" | "recipient";
      recipientSystemId: string | null;
      label: string;
    }
  | { kind: "portal"; sessionId: string; authorityCvr: string; capabilities: Capability[]; userName: string; expiresAt: string };

/** Resolves the bearer token to a principal; 401 when it is missing or wrong, revoked or expired. */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ApiError(401, "unauthorized", "send Authorization: Bearer <token>");
  const token = match[1]!;
  const { db, config, apiKeys } = c.get("deps");
  if (timingSafeEqual(token, config.operatorToken)) {
    c.set("principal", { kind: "operator" });
    return next();
  }
  const cached = apiKeys.get(token, (read) => keepAlive(c, read));
  if (cached) {
    c.set("principal", cached.principal);
    noteUse(c, cached);
    return next();
  }
  const hash = await sha256Hex(token);
  if (token.startsWith("pvp_")) {
    // Expiry is security time: the wall clock, never the simulated domain clock.
    const s = await findPortalSession(db, hash, new Date().toISOString());
    if (!s) throw new ApiError(401, "unauthorized", "the portal token is unknown or has expired");
    c.set("principal", {
      kind: "portal",
      sessionId: s.id,
      authorityCvr: s.authority_cvr,
      capabilities: JSON.parse(s.capabilities) as Capability[],
      userName: s.user_name,
      expiresAt: s.expires_at,
    });
    return next();
  }
  // The epoch before the read: a revocation noticed while it runs keeps its answer out of the cache.
  const epoch = apiKeys.epoch();
  const key = await findApiKeyByHash(db, hash);
  if (!key) throw new ApiError(401, "unauthorized", "the token is not valid");
  // Revocation and expiry are security time: the wall clock, never the simulated domain clock.
  const standing = keyStanding({ revokedAt: key.revoked_at, expiresAt: key.expires_at ?? null }, new Date());
  if (standing === KEY_STANDING.revoked) throw new ApiError(401, "unauthorized", "the API key was revoked");
  if (standing === KEY_STANDING.expired) throw new ApiError(401, "unauthorized", "the API key has expired");
  const expiresAtMs = key.expires_at ? Date.parse(key.expires_at) : null;
  const entry: CachedKey = {
    principal: {
      kind: "api_key",
      keyId: key.id,
      authorityCvr: key.authority_cvr,
      role: key.role,
      recipientSystemId: key.recipient_system_id,
      label: key.label,
    },
    expiresAtMs,
    usedAtMs: key.last_used_at ? Date.parse(key.last_used_at) : 0,
  };
  noteUse(c, entry);
  apiKeys.set(token, entry, epoch);
  c.set("principal", entry.principal);
  return next();
};

/** A checked API key as the cache keeps it. */
export type CachedKey = {
  principal: Extract<Principal, { kind: "api_key" }>;
  /** Wall-clock expiry in ms since the epoch; null: never. */
  expiresAtMs: number | null;
  /** When its last use was written (or read back), wall clock ms; `lastUsedAt` is written about once a minute. */
  usedAtMs: number;
};

/**
 * API keys this process has checked lately, by token; kept in its runtime (see runtime.ts). An
 * entry is used only while the revocation generation (a counter every revocation adds to, in the
 * database) has been read lately and has not moved: so a key revoked on any instance stops
 * working here within seconds, however long its entry would otherwise live.
 */
export type ApiKeyCache = {
  /**
   * The key's entry when it was checked less than a minute ago, has not expired, and the
   * revocation generation is confirmed unchanged since. When a read of the generation is due,
   * it starts one and hands it to `keepAlive` (the request goes on meanwhile).
   */
  get(token: string, keepAlive: (read: Promise<void>) => void): CachedKey | undefined;
  /** Where the cache stands; a lookup takes it before it reads the key and hands it to `set`. */
  epoch(): number;
  /** Keeps a key just read, unless a revocation was noticed since `epoch`. */
  set(token: string, entry: CachedKey, epoch: number): void;
  /** Forgets every key: this process just revoked one (other processes notice the generation). */
  revoked(): void;
};

// Keys are read on every request; a known key is trusted for a minute before it is read (and
// hashed) again, but only while the revocation generation is confirmed: it is read at most once a
// second per process (a primary-key read started by the request that finds it due, which does not
// wait for it), and when no read has succeeded for five seconds (a database away) the entries are
// not used at all. A revocation elsewhere therefore reaches this process within about a second
// and the time of one read, at worst five seconds. The map lives in this process's memory only,
// like the request that carried the key; no request ever waits on a read another one started.
const KEY_CACHE_MS = 60_000;
const KEY_CACHE_MAX = 10_000;
/** How often the revocation generation is read. */
export const REVOCATION_CHECK_MS = 1_000;
/** How long a confirmed generation is trusted when the reads fail. */
export const REVOCATION_TRUST_MS = 5_000;
/** How often a key's `last_used_at` is written, at most (per process). */
export const LAST_USED_WRITE_MS = 60_000;

/** The settings row every revocation adds one to (repos/settings.ts `addToSetting`). */
export const REVOCATION_GENERATION_KEY = "api_key_revocations";

/** An empty cache of checked API keys over `db`. */
export function apiKeyCache(db: Db): ApiKeyCache {
  const keys = new Map<string, CachedKey & { until: number }>();
  let epoch = 0;
  let generation: string | undefined;
  let confirmedAt = -Infinity; // when the last successful read of the generation started
  let checkStartedAt = -Infinity;
  const forget = () => {
    keys.clear();
    epoch++;
  };
  const check = async (startedAt: number) => {
    checkStartedAt = startedAt;
    try {
      const g = (await getSetting(db, REVOCATION_GENERATION_KEY)) ?? "0";
      // An older read answering after a newer one is left out.
      if (startedAt < confirmedAt) return;
      // The first read forgets too: entries taken before it cannot be vouched for.
      if (g !== generation) forget();
      generation = g;
      confirmedAt = startedAt;
    } catch {
      // Left unconfirmed: the next request a second on reads again, and entries stop counting after the trust runs out.
    }
  };
  return {
    get(token, keepAlive) {
      const now = Date.now();
      if (now - checkStartedAt >= REVOCATION_CHECK_MS) keepAlive(check(now));
      const hit = keys.get(token);
      if (!hit) return undefined;
      if (hit.until <= now || (hit.expiresAtMs !== null && hit.expiresAtMs <= now)) {
        keys.delete(token);
        return undefined;
      }
      return now - confirmedAt < REVOCATION_TRUST_MS ? hit : undefined;
    },
    epoch: () => epoch,
    set(token, entry, since) {
      if (since !== epoch) return;
      if (keys.size >= KEY_CACHE_MAX) keys.clear();
      keys.set(token, { ...entry, until: Date.now() + KEY_CACHE_MS });
    },
    revoked: forget,
  };
}

/**
 * Writes the key's `last_used_at` when the one known is a minute old or more: not one write per
 * request. The write goes on beside the request (kept alive on Workers) and never fails it.
 */
function noteUse(c: Context<AppEnv>, entry: CachedKey): void {
  const now = Date.now();
  if (now - entry.usedAtMs < LAST_USED_WRITE_MS) return;
  entry.usedAtMs = now;
  keepAlive(
    c,
    touchApiKey(
      c.get("deps").db,
      entry.principal.keyId,
      new Date(now).toISOString(),
      new Date(now - LAST_USED_WRITE_MS).toISOString(),
    ).catch(() => undefined),
  );
}

/** Lets work started by a request finish after its answer: on Workers through `waitUntil`; on Node it goes on anyway. */
function keepAlive(c: Context<AppEnv>, work: Promise<unknown>): void {
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    // No execution context outside Workers.
  }
  ctx?.waitUntil(work);
}

/** Only the operator token passes. */
export function requireOperator(c: Context<AppEnv>): void {
  if (c.get("principal").kind !== "operator") throw notFound("the resource");
}

/** Who may use a path: a portal capability (or the admin key), the admin key alone, or the admin key and the operator. */
export type Permission = Capability | "admin_only" | "admin_or_operator";

/**
 * The caller must act for authority `cvr`: its admin key, or a portal token of it with the
 * capability (never for `admin_only` or `admin_or_operator`), or for `admin_or_operator` the
 * operator. Anything else answers 404, so another tenant's resources look missing.
 */
export function requireAuthority(c: Context<AppEnv>, cvr: string, capability: Permission): Principal {
  const p = c.get("principal");
  const ok =
    (p.kind === "operator" && capability === "admin_or_operator") ||
    (p.kind === "api_key" && p.role === "admin" && p.authorityCvr === cvr) ||
    (p.kind === "portal" && p.authorityCvr === cvr && isCapability(capability) && p.capabilities.includes(capability));
  if (!ok) throw notFound(`authority ${cvr}`);
  return p;
}

/**
 * {@link requireAuthority} for the path's `:cvr` as middleware, placed before a body's validation:
 * a token that may not use the path gets 404, never a 422 that shows the path is there.
 */
export function allow(capability: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    requireAuthority(c, c.req.param("cvr") ?? "", capability);
    await next();
  };
}

function isCapability(p: Permission): p is Capability {
  return p !== "admin_only" && p !== "admin_or_operator";
}

/** Who acted, for histories: the key's label or the portal user's name. */
export function actorOf(p: Principal): { kind: "api_key" | "portal_user" | "operator"; id: string; name: string } {
  if (p.kind === "api_key") return { kind: "api_key", id: p.keyId, name: p.label };
  if (p.kind === "portal") return { kind: "portal_user", id: p.sessionId, name: p.userName };
  return { kind: "operator", id: "operator", name: "operator" };
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
