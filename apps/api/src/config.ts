/** Settings that differ between deployments; read once from the environment by each entry. */
export type AppConfig = {
  /** True on a real deployment: refuses plain-http and private endpoints, no dev paths. */
  production: boolean;
  /** `POSTVEJ_CLOCK=simulated`: a movable clock and `POST /v1/dev/clock` (never in production). */
  simulatedClock: boolean;
  operatorToken: string;
  /** Largest MeMo body accepted, in bytes. */
  maxBodyBytes: number;
  /** Bytes of MeMo bodies intake works on at once; a request holds what has arrived of its body (see services/byte-budget.ts). */
  intakeBudgetBytes: number;
  /** Of those, what one API key may hold across its requests at once (its only request may take more). */
  intakeKeyBudgetBytes: number;
  /**
   * Whether a request that does not fit the budget waits its turn (Node: one process) or is answered
   * 503 `intake_busy` at once (Workers: a request must never wait on a promise another one resolves).
   */
  intakeQueueing: boolean;
  /** Longest pause between two pieces of a request body before it is answered 408 and closed. */
  bodyIdleTimeoutMs: number;
  /** Longest a request body may take to arrive in all (408 and closed after it). */
  bodyTimeoutMs: number;
  /** How long a push attempt may take. */
  pushTimeoutMs: number;
  /** How long a portal token lives unless asked otherwise. */
  portalTokenTtlSeconds: number;
  /** The authority portal's address, linked from e-mails when set. */
  portalUrl: string | null;
  mailFrom: string;
};

type EnvLike = Record<string, string | undefined>;

/**
 * Reads the configuration from environment variables, with the documented defaults. `runtime` is
 * the entry's (`workers` turns intake queueing off); when not given, workerd is recognised by its
 * `navigator.userAgent`.
 */
export function readConfig(env: EnvLike, defaults: { production: boolean; operatorToken?: string; runtime?: "node" | "workers" }): AppConfig {
  const production = env.POSTVEJ_ENV ? env.POSTVEJ_ENV === "production" : defaults.production;
  const simulatedClock = env.POSTVEJ_CLOCK === "simulated";
  if (production && simulatedClock) throw new Error("POSTVEJ_CLOCK=simulated is not allowed in production");
  const operatorToken = env.POSTVEJ_OPERATOR_TOKEN ?? defaults.operatorToken;
  if (!operatorToken || operatorToken.length < 16) throw new Error("POSTVEJ_OPERATOR_TOKEN must be set (at least 16 characters)");
  const intakeBudgetBytes = Math.round(numberSetting(env, "POSTVEJ_INTAKE_BUDGET_MB", 64, { min: 1, max: 65_536 }) * 1024 * 1024);
  return {
    production,
    simulatedClock,
    operatorToken,
    maxBodyBytes: Math.round(numberSetting(env, "POSTVEJ_MAX_BODY_MB", 30, { min: 0.001, max: 1024 }) * 1024 * 1024),
    intakeBudgetBytes,
    intakeKeyBudgetBytes: Math.round(numberSetting(env, "POSTVEJ_INTAKE_KEY_BUDGET_MB", intakeBudgetBytes / 2 / 1048576, { min: 0.001, max: intakeBudgetBytes / 1048576 }) * 1024 * 1024),
    intakeQueueing: (defaults.runtime ?? detectRuntime()) !== "workers",
    bodyIdleTimeoutMs: numberSetting(env, "POSTVEJ_BODY_IDLE_TIMEOUT_MS", 10_000, { min: 50, max: 600_000, integer: true }),
    bodyTimeoutMs: numberSetting(env, "POSTVEJ_BODY_TIMEOUT_MS", 60_000, { min: 100, max: 3_600_000, integer: true }),
    pushTimeoutMs: numberSetting(env, "POSTVEJ_PUSH_TIMEOUT_MS", 15_000, { min: 100, max: 600_000, integer: true }),
    portalTokenTtlSeconds: numberSetting(env, "POSTVEJ_PORTAL_TOKEN_TTL", 900, { min: 60, max: 86_400, integer: true }),
    portalUrl: env.POSTVEJ_PORTAL_URL ?? null,
    mailFrom: env.POSTVEJ_MAIL_FROM ?? "postvej@localhost",
  };
}

/** `workers` inside workerd (its documented `navigator.userAgent`), else `node`. */
function detectRuntime(): "node" | "workers" {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers" ? "workers" : "node";
}

/** A numeric setting, or its default when unset; anything else stops the start with a clear error. */
export function numberSetting(env: EnvLike, name: string, fallback: number, range: { min: number; max: number; integer?: boolean }): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < range.min || n > range.max || (range.integer && !Number.isInteger(n))) {
    throw new Error(`${name}=${raw} is not ${range.integer ? "a whole number" : "a number"} from ${range.min} to ${range.max}`);
  }
  return n;
}

/** How long one HTTP request to a remote libSQL server may take (POSTVEJ_DB_TIMEOUT_MS, default 30 s). */
export function dbRequestTimeoutMs(env: EnvLike): number {
  return numberSetting(env, "POSTVEJ_DB_TIMEOUT_MS", 30_000, { min: 100, max: 600_000, integer: true });
}
