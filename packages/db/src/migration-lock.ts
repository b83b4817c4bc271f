import { type Kysely, sql } from "kysely";

/**
 * The migration lock: one lease row that every migrator takes before it runs migrations, so that
 * instances starting together against the same database (processes on one file, or many instances
 * on one sqld/Turso server) migrate one after the other instead of racing on the same DDL.
 * Kysely's SQLite adapter takes no lock of its own.
 *
 * The lease lasts `leaseMs` on the wall clock (`Date.now()`, never the simulated clock: it guards
 * real work in flight) and is renewed while the holder works, so a holder that crashed loses it
 * after at most `leaseMs` and the next instance proceeds. Web-standard APIs only (runs on Workers).
 */
export const MIGRATION_LOCK_TABLE = "postvej_migration_lock";

export interface MigrationLockOptions {
  /** How long a lease lasts unless renewed; a crashed holder's lease lapses after this. Default 60 s. */
  leaseMs?: number;
  /** How long to wait for another holder before giving up with an error. Default 5 minutes. */
  maxWaitMs?: number;
  /** Who takes the lease (default: a fresh random id per call). */
  holder?: string;
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_MAX_WAIT_MS = 5 * 60_000;
const FIRST_BACKOFF_MS = 25;
const MAX_BACKOFF_MS = 1_000;

export class MigrationLockTimeoutError extends Error {
  constructor(waitedMs: number, holder: string | undefined) {
    super(`gave up after ${waitedMs} ms waiting for the migration lock (${MIGRATION_LOCK_TABLE})` + (holder ? `, held by ${holder}` : ""));
    this.name = "MigrationLockTimeoutError";
  }
}

/** Runs `work` while holding the migration lease; waits (bounded, with backoff) while another holds it. */
export async function withMigrationLock<T>(db: Kysely<any>, work: () => Promise<T>, options: MigrationLockOptions = {}): Promise<T> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const holder = options.holder ?? crypto.randomUUID();
  await acquire(db, holder, leaseMs, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
  const renewal = keepRenewed(db, holder, leaseMs);
  try {
    return await work();
  } finally {
    renewal.stop();
    await renewal.settled;
    try {
      await sql`DELETE FROM postvej_migration_lock WHERE id = 1 AND holder = ${holder}`.execute(db);
    } catch {
      // The lease lapses on its own after leaseMs; the work itself is done.
    }
  }
}

async function acquire(db: Kysely<any>, holder: string, leaseMs: number, maxWaitMs: number): Promise<void> {
  const started = Date.now();
  let backoff = FIRST_BACKOFF_MS;
  let tableReady = false;
  for (;;) {
    try {
      if (!tableReady) {
        // Race-free: every migrator may run this at the same moment.
        await sql`CREATE TABLE IF NOT EXISTS postvej_migration_lock (
          id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, expires_at INTEGER NOT NULL)`.execute(db);
        tableReady = true;
      }
      const now = Date.now();
      // One atomic statement: take the row when there is none or when its lease has lapsed.
      const { rows } = await sql<{ holder: string }>`
        INSERT INTO postvej_migration_lock (id, holder, expires_at) VALUES (1, ${holder}, ${now + leaseMs})
        ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
          WHERE postvej_migration_lock.expires_at <= ${now}
        RETURNING holder`.execute(db);
      if (rows[0]?.holder === holder) return;
    } catch (error) {
      // Another writer holds the database (e.g. the current holder's migration transaction): wait.
      if (!isBusy(error)) throw error;
    }
    const waited = Date.now() - started;
    if (waited >= maxWaitMs) throw new MigrationLockTimeoutError(waited, await currentHolder(db));
    const pause = Math.min(backoff, maxWaitMs - waited) * (0.5 + Math.random() / 2);
    await new Promise((r) => setTimeout(r, pause));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

/** Renews the lease every third of its length until stopped (a failed renewal is tried again next time). */
function keepRenewed(db: Kysely<any>, holder: string, leaseMs: number): { stop(): void; settled: Promise<void> } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const schedule = () => {
    timer = setTimeout(() => {
      inFlight = sql`UPDATE postvej_migration_lock SET expires_at = ${Date.now() + leaseMs}
          WHERE id = 1 AND holder = ${holder}`
        .execute(db)
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => {
          if (!stopped) schedule();
        });
    }, leaseMs / 3);
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    get settled() {
      return inFlight;
    },
  };
}

async function currentHolder(db: Kysely<any>): Promise<string | undefined> {
  try {
    const { rows } = await sql<{ holder: string }>`SELECT holder FROM postvej_migration_lock WHERE id = 1`.execute(db);
    return rows[0]?.holder;
  } catch {
    return undefined;
  }
}

function isBusy(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ""} ${error instanceof Error ? error.message : ""}`;
  return /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(text);
}
