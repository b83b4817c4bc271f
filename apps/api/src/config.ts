/** Settings that differ between deployments; read once from the environment by each entry. */
export type AppConfig = {
  /** True on a real deployment: refuses plain-http and private endpoints, no dev paths. */
  production: boolean;
  /** `POSTVEJ_CLOCK=simulated`: a movable clock and `POST /v1/dev/clock` (never in production). */
  simulatedClock: boolean;
  operatorToken: string;
  /** Largest MeMo body accepted, in bytes. */
  maxBodyBytes: number;
  /** Bytes of MeMo bodies intake works on at once; beyond it requests wait their turn, unread. */
  intakeBudgetBytes: number;
  /** How long a push attempt may take. */
  pushTimeoutMs: number;
  /** How long a portal token lives unless asked otherwise. */
  portalTokenTtlSeconds: number;
  /** The authority portal's address, linked from e-mails when set. */
  portalUrl: string | null;
  mailFrom: string;
};

type EnvLike = Record<string, string | undefined>;

/** Reads the configuration from environment variables, with the documented defaults. */
export function readConfig(env: EnvLike, defaults: { production: boolean; operatorToken?: string }): AppConfig {
  const production = env.POSTVEJ_ENV ? env.POSTVEJ_ENV === "production" : defaults.production;
  const simulatedClock = env.POSTVEJ_CLOCK === "simulated";
  if (production && simulatedClock) throw new Error("POSTVEJ_CLOCK=simulated is not allowed in production");
  const operatorToken = env.POSTVEJ_OPERATOR_TOKEN ?? defaults.operatorToken;
  if (!operatorToken || operatorToken.length < 16) throw new Error("POSTVEJ_OPERATOR_TOKEN must be set (at least 16 characters)");
  return {
    production,
    simulatedClock,
    operatorToken,
    maxBodyBytes: Math.round(numberSetting(env, "POSTVEJ_MAX_BODY_MB", 30, { min: 0.001, max: 1024 }) * 1024 * 1024),
    intakeBudgetBytes: Math.round(numberSetting(env, "POSTVEJ_INTAKE_BUDGET_MB", 64, { min: 1, max: 65_536 }) * 1024 * 1024),
    pushTimeoutMs: numberSetting(env, "POSTVEJ_PUSH_TIMEOUT_MS", 15_000, { min: 100, max: 600_000, integer: true }),
    portalTokenTtlSeconds: numberSetting(env, "POSTVEJ_PORTAL_TOKEN_TTL", 900, { min: 60, max: 86_400, integer: true }),
    portalUrl: env.POSTVEJ_PORTAL_URL ?? null,
    mailFrom: env.POSTVEJ_MAIL_FROM ?? "postvej@localhost",
  };
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
