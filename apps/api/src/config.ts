// The one reader of settings: every POSTVEJ_*, LIBSQL_*, PORT and HOST variable is read here, once
// per entry, and checked; a value that cannot be used stops the start with an error naming it.
// Web-standard only (the Worker reads its config here too).
import { parseSecretKey } from "./services/secret-box.ts";

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
  /** How long delivery claims last on the wall clock when set (`POSTVEJ_CLAIM_LEASE_MS`); else see claimLeaseMs. */
  claimLeaseMs: number | null;
  /** How long a portal token lives unless asked otherwise. */
  portalTokenTtlSeconds: number;
  /** The authority portal's address, linked from e-mails when set. */
  portalUrl: string | null;
  /** The sender of notices (`POSTVEJ_MAIL_FROM`, checked; the same as `mail.from`). */
  mailFrom: string;
  /** Where mail goes on Node (`POSTVEJ_MAIL_URL`); the Worker sends through its `send_email` binding. */
  mail: MailConfig;
  database: DatabaseConfig;
  /**
   * Whether message bodies are stored deflated (`POSTVEJ_BODY_COMPRESSION=auto|on|off`; `auto`, the
   * default, compresses for a remote database, sqld or Turso, and always on Workers, and keeps an
   * embedded file's bodies as they are). See services/body-codec.ts.
   */
  compressBodies: boolean;
  /**
   * `POSTVEJ_SECRET_KEY`: 32 bytes (base64 or base64url) that seal signing secrets at rest with
   * AES-256-GCM (services/secret-box.ts); null: they are stored as they are.
   */
  secretKey: Uint8Array | null;
};

/** The libSQL database: `LIBSQL_URL`, `LIBSQL_AUTH_TOKEN`, `POSTVEJ_DB_TIMEOUT_MS`. */
export type DatabaseConfig = {
  /** Null only on Workers when unset (there is no default there: the Worker refuses to start). */
  url: string | null;
  authToken: string | undefined;
  /** How long one HTTP request to a remote libSQL server may take. */
  requestTimeoutMs: number;
};

/** How mail leaves postvej on Node, read from `POSTVEJ_MAIL_URL` and `POSTVEJ_MAIL_FROM`. */
export type MailConfig = { from: string } & (
  { kind: "smtp"; host: string; port: number; secure: boolean; user?: string; pass?: string } | { kind: "file"; dir: string }
);

/** A `POSTVEJ_MAIL_URL` or `POSTVEJ_MAIL_FROM` that cannot be used. */
export class MailConfigError extends Error {
  override name = "MailConfigError";
}

/** The Node server's own settings (the Worker has none of these). */
export type ServerConfig = {
  port: number;
  host: string;
  /** MeMo reader threads (`POSTVEJ_PARSE_THREADS`); null: the default for this machine. */
  parseThreads: number | null;
  /** The demo receiver's port under `npm start` (`POSTVEJ_DEMO_RECEIVER_PORT`; 0: any free one). */
  demoReceiverPort: number;
  /**
   * Delivery runs of the in-process pump and scheduler: `POSTVEJ_DELIVERY_BATCH` messages claimed
   * per run over all systems, `POSTVEJ_DELIVERY_PER_SYSTEM` at most per system, and
   * `POSTVEJ_DELIVERY_CONCURRENCY` pushes in flight to one system at once.
   */
  delivery: { batch: number; perSystem: number; perSystemConcurrency: number };
  /** The folder relative paths mean: where `npm` was invoked (`INIT_CWD`, the repo root for `npm start`), else `cwd`. */
  baseDir: string;
};

type EnvLike = Record<string, string | undefined>;

/** What the entry decides when a variable is not set. */
export type ConfigDefaults = {
  /** When `POSTVEJ_ENV` is not set; when not given either, `NODE_ENV=production` means production. */
  production?: boolean;
  /** Used when `POSTVEJ_OPERATOR_TOKEN` is not set (the Node entry generates one). */
  operatorToken?: string;
  /** `simulated` when `POSTVEJ_CLOCK` is not set (`npm start`'s demo). */
  clock?: "simulated" | "real";
  runtime?: "node" | "workers";
};

export const DEFAULT_DATABASE_URL = "file:./data/postvej.db";
/** The defaults: files under `./data/mail`, sent as `postvej@localhost`. */
export const DEFAULT_MAIL_URL = "file:./data/mail";
export const DEFAULT_MAIL_FROM = "postvej@localhost";

/**
 * Reads the configuration from environment variables, with the documented defaults. `runtime` is
 * the entry's (`workers` turns intake queueing off and leaves `LIBSQL_URL` without a default);
 * when not given, workerd is recognised by its `navigator.userAgent`.
 */
export function readConfig(env: EnvLike, defaults: ConfigDefaults): AppConfig {
  const runtime = defaults.runtime ?? detectRuntime();
  const envName = choiceSetting(env, "POSTVEJ_ENV", ["production", "development"]);
  const production = envName ? envName === "production" : (defaults.production ?? env.NODE_ENV === "production");
  const simulatedClock = (choiceSetting(env, "POSTVEJ_CLOCK", ["simulated", "real"]) ?? defaults.clock) === "simulated";
  if (production && simulatedClock) throw new Error("POSTVEJ_CLOCK=simulated is not allowed in production");
  const operatorToken = env.POSTVEJ_OPERATOR_TOKEN ?? defaults.operatorToken;
  if (!operatorToken || operatorToken.trim().length < 16) throw new Error("POSTVEJ_OPERATOR_TOKEN must be set (at least 16 characters)");
  const intakeBudgetBytes = Math.round(numberSetting(env, "POSTVEJ_INTAKE_BUDGET_MB", 64, { min: 1, max: 65_536 }) * 1024 * 1024);
  const mail = readMailConfig(env);
  const dbUrl = env.LIBSQL_URL || (runtime === "workers" ? null : DEFAULT_DATABASE_URL);
  return {
    production,
    simulatedClock,
    operatorToken,
    maxBodyBytes: Math.round(numberSetting(env, "POSTVEJ_MAX_BODY_MB", 30, { min: 0.001, max: 1024 }) * 1024 * 1024),
    intakeBudgetBytes,
    intakeKeyBudgetBytes: Math.round(
      numberSetting(env, "POSTVEJ_INTAKE_KEY_BUDGET_MB", intakeBudgetBytes / 2 / 1048576, {
        min: 0.001,
        max: intakeBudgetBytes / 1048576,
      }) *
        1024 *
        1024,
    ),
    intakeQueueing: runtime !== "workers",
    bodyIdleTimeoutMs: numberSetting(env, "POSTVEJ_BODY_IDLE_TIMEOUT_MS", 10_000, { min: 50, max: 600_000, integer: true }),
    bodyTimeoutMs: numberSetting(env, "POSTVEJ_BODY_TIMEOUT_MS", 60_000, { min: 100, max: 3_600_000, integer: true }),
    pushTimeoutMs: numberSetting(env, "POSTVEJ_PUSH_TIMEOUT_MS", 15_000, { min: 100, max: 600_000, integer: true }),
    claimLeaseMs: env.POSTVEJ_CLAIM_LEASE_MS?.trim()
      ? numberSetting(env, "POSTVEJ_CLAIM_LEASE_MS", 30_000, { min: 1_000, max: 3_600_000, integer: true })
      : null,
    portalTokenTtlSeconds: numberSetting(env, "POSTVEJ_PORTAL_TOKEN_TTL", 900, { min: 60, max: 86_400, integer: true }),
    portalUrl: readPortalUrl(env),
    mailFrom: mail.from,
    mail,
    secretKey: readSecretKey(env),
    compressBodies: readBodyCompression(env, runtime, dbUrl),
    database: {
      url: dbUrl,
      authToken: env.LIBSQL_AUTH_TOKEN || undefined,
      requestTimeoutMs: numberSetting(env, "POSTVEJ_DB_TIMEOUT_MS", 30_000, { min: 100, max: 600_000, integer: true }),
    },
  };
}

/** The database's URL; a Worker without `LIBSQL_URL` stops here. */
export function databaseUrl(config: Pick<AppConfig, "database">): string {
  if (!config.database.url) throw new Error("LIBSQL_URL must be set (libsql://… for Turso, http(s)://… for sqld)");
  return config.database.url;
}

/** The Node server's settings; `cwd` is the process's working folder. */
export function readServerConfig(env: EnvLike, cwd: string): ServerConfig {
  return {
    port: numberSetting(env, "PORT", 8787, { min: 0, max: 65_535, integer: true }),
    host: env.HOST || "127.0.0.1",
    parseThreads: env.POSTVEJ_PARSE_THREADS?.trim()
      ? numberSetting(env, "POSTVEJ_PARSE_THREADS", 0, { min: 0, max: 64, integer: true })
      : null,
    demoReceiverPort: numberSetting(env, "POSTVEJ_DEMO_RECEIVER_PORT", 0, { min: 0, max: 65_535, integer: true }),
    delivery: {
      batch: numberSetting(env, "POSTVEJ_DELIVERY_BATCH", 500, { min: 1, max: 10_000, integer: true }),
      perSystem: numberSetting(env, "POSTVEJ_DELIVERY_PER_SYSTEM", 200, { min: 1, max: 10_000, integer: true }),
      perSystemConcurrency: numberSetting(env, "POSTVEJ_DELIVERY_CONCURRENCY", 16, { min: 1, max: 256, integer: true }),
    },
    baseDir: env.INIT_CWD ?? cwd,
  };
}

/**
 * Parses `POSTVEJ_MAIL_URL` (`smtp://user:pass@host:port`, `smtps://…`, `file:./data/mail`,
 * `file:///abs/dir`) and `POSTVEJ_MAIL_FROM`.
 */
export function readMailConfig(env: EnvLike): MailConfig {
  const from = (env.POSTVEJ_MAIL_FROM ?? "").trim() || DEFAULT_MAIL_FROM;
  if (/[\r\n]/.test(from) || !from.includes("@")) throw new MailConfigError(`POSTVEJ_MAIL_FROM is not an address: ${from}`);
  const raw = (env.POSTVEJ_MAIL_URL ?? "").trim() || DEFAULT_MAIL_URL;
  if (raw.startsWith("file:")) {
    const dir = raw.startsWith("file://") ? decodeURIComponent(new URL(raw).pathname) : raw.slice("file:".length);
    if (!dir) throw new MailConfigError("POSTVEJ_MAIL_URL file: needs a folder, e.g. file:./data/mail");
    return { kind: "file", dir, from };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MailConfigError("POSTVEJ_MAIL_URL is not a URL (smtp://, smtps:// or file:)");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new MailConfigError(`POSTVEJ_MAIL_URL scheme ${url.protocol} is not smtp:, smtps: or file:`);
  }
  const secure = url.protocol === "smtps:";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw new MailConfigError("POSTVEJ_MAIL_URL needs a host");
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const config: MailConfig = { kind: "smtp", host, port, secure, from };
  if (url.username) {
    config.user = decodeURIComponent(url.username);
    config.pass = decodeURIComponent(url.password);
  }
  return config;
}

/** One of a few words, or null when unset or empty; any other value stops the start. */
function choiceSetting<T extends string>(env: EnvLike, name: string, choices: readonly T[]): T | null {
  const raw = (env[name] ?? "").trim();
  if (!raw) return null;
  if (!(choices as readonly string[]).includes(raw)) throw new Error(`${name}=${raw} is not ${choices.join(" or ")}`);
  return raw as T;
}

/** `POSTVEJ_PORTAL_URL`: an absolute http(s) address, or null when unset or empty; anything else stops the start. */
function readPortalUrl(env: EnvLike): string | null {
  const raw = (env.POSTVEJ_PORTAL_URL ?? "").trim();
  if (!raw) return null;
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || !url.hostname) {
    throw new Error(`POSTVEJ_PORTAL_URL=${raw} is not an http(s) address, e.g. https://portal.kommune.dk`);
  }
  return raw;
}

/** `POSTVEJ_SECRET_KEY` as its 32 bytes; unset or empty: null; anything else stops the start. */
function readSecretKey(env: EnvLike): Uint8Array | null {
  const raw = (env.POSTVEJ_SECRET_KEY ?? "").trim();
  if (!raw) return null;
  const key = parseSecretKey(raw);
  if (!key) throw new Error("POSTVEJ_SECRET_KEY must be 32 bytes in base64 (make one with: openssl rand -base64 32)");
  return key;
}

/** `POSTVEJ_BODY_COMPRESSION` resolved: `on`, `off`, or `auto` (on for Workers and for a database that is not a local file). */
function readBodyCompression(env: EnvLike, runtime: "node" | "workers", url: string | null): boolean {
  const raw = (env.POSTVEJ_BODY_COMPRESSION ?? "").trim() || "auto";
  if (raw === "on" || raw === "off") return raw === "on";
  if (raw !== "auto") throw new Error(`POSTVEJ_BODY_COMPRESSION=${raw} is not auto, on or off`);
  return runtime === "workers" || !(url === null || url.startsWith("file:") || url === ":memory:");
}

/** `workers` inside workerd (its documented `navigator.userAgent`), else `node`. */
function detectRuntime(): "node" | "workers" {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers" ? "workers" : "node";
}

/** A numeric setting, or its default when unset; anything else stops the start with a clear error. */
function numberSetting(env: EnvLike, name: string, fallback: number, range: { min: number; max: number; integer?: boolean }): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < range.min || n > range.max || (range.integer && !Number.isInteger(n))) {
    throw new Error(`${name}=${raw} is not ${range.integer ? "a whole number" : "a number"} from ${range.min} to ${range.max}`);
  }
  return n;
}
