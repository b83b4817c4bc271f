import { sha256Hex } from "@postvej/core/ids";
import { findApiKeyByHash, findPortalSession } from "@postvej/db";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.ts";
import { ApiError, notFound } from "./errors.ts";
import type { Capability } from "@postvej/contract";

/** What a portal token may do. */
export type { Capability };

/** Who is calling. */
export type Principal =
  | { kind: "operator" }
  | { kind: "api_key"; keyId: string; authorityCvr: string; role: "sender" | "admin" | "recipient"; recipientSystemId: string | null; label: string }
  | { kind: "portal"; sessionId: string; authorityCvr: string; capabilities: Capability[]; userName: string; expiresAt: string };

/** Resolves the bearer token to a principal; 401 when it is missing or wrong. */
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
  const cached = apiKeys.get(token);
  if (cached) {
    c.set("principal", cached);
    return next();
  }
  const hash = await sha256Hex(token);
  if (token.startsWith("pvp_")) {
    // Expiry is security time: the wall clock, never the simulated domain clock.
    const s = await findPortalSession(db, hash, new Date().toISOString());
    if (!s) throw new ApiError(401, "unauthorized", "the portal token is unknown or has expired");
    c.set("principal", {
      kind: "portal", sessionId: s.id, authorityCvr: s.authority_cvr,
      capabilities: JSON.parse(s.capabilities) as Capability[], userName: s.user_name, expiresAt: s.expires_at,
    });
    return next();
  }
  const key = await findApiKeyByHash(db, hash);
  if (!key) throw new ApiError(401, "unauthorized", "the token is not valid");
  const principal: Principal = {
    kind: "api_key", keyId: key.id, authorityCvr: key.authority_cvr, role: key.role,
    recipientSystemId: key.recipient_system_id, label: key.label,
  };
  apiKeys.set(token, principal);
  c.set("principal", principal);
  return next();
};

/** API keys this process has checked lately, by token; kept in its runtime (see runtime.ts). */
export type ApiKeyCache = {
  /** The key's principal when it was checked less than a minute ago. */
  get(token: string): Principal | undefined;
  set(token: string, principal: Principal): void;
};

// Keys are read on every request; a known key is trusted for a minute before it is read (and
// hashed) again. The map lives in this process's memory only, like the request that carried the key.
const KEY_CACHE_MS = 60_000;
const KEY_CACHE_MAX = 10_000;

/** An empty cache of checked API keys. */
export function apiKeyCache(): ApiKeyCache {
  const keys = new Map<string, { principal: Principal; until: number }>();
  return {
    get(token) {
      const hit = keys.get(token);
      return hit && hit.until > Date.now() ? hit.principal : undefined;
    },
    set(token, principal) {
      if (keys.size >= KEY_CACHE_MAX) keys.clear();
      keys.set(token, { principal, until: Date.now() + KEY_CACHE_MS });
    },
  };
}

/** Only the operator token passes. */
export function requireOperator(c: Context<AppEnv>): void {
  if (c.get("principal").kind !== "operator") throw notFound("the resource");
}

/**
 * The caller must act for authority `cvr`: its admin key, or a portal token of it with the
 * capability. Anything else answers 404, so another tenant's resources look missing.
 */
export function requireAuthority(c: Context<AppEnv>, cvr: string, capability: Capability | "admin_only"): Principal {
  const p = c.get("principal");
  const ok =
    (p.kind === "api_key" && p.role === "admin" && p.authorityCvr === cvr) ||
    (p.kind === "portal" && p.authorityCvr === cvr && capability !== "admin_only" && p.capabilities.includes(capability));
  if (!ok) throw notFound(`authority ${cvr}`);
  return p;
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
