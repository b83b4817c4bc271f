import type { Client, InStatement, ResultSet, Transaction } from "@libsql/client";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";

/**
 * A Kysely dialect over one `@libsql/client` client (file, memory, or HTTP to sqld/Turso).
 *
 * An embedded (file) database runs every statement synchronously on this thread, so a writer
 * waiting on SQLite's lock would block the very event loop that must finish the other writer's
 * transaction. With `serialize`, the client's single connection is shared in turns through an
 * async lock: a transaction holds it from BEGIN to COMMIT, other statements wait their turn. With
 * `ready`, nothing runs before it settles (a remote client choosing its wire protocol).
 * A remote client (no `serialize`) runs statements side by side, each request of it with its own
 * deadline: Kysely's `SqliteAdapter` alone would put every statement of the process behind one
 * mutex, so a stalled database would hold each waiting request for the deadline of every one ahead.
 */
class LibsqlDialect implements Dialect {
  private readonly client: Client;
  private readonly lock: ConnectionLock | undefined;
  private readonly ready: Promise<unknown> | undefined;
  constructor(client: Client, options: DialectOptions = {}) {
    this.client = client;
    this.lock = options.serialize ? new ConnectionLock() : undefined;
    this.ready = options.ready;
  }
  createAdapter() {
    return this.lock ? new SqliteAdapter() : new ConcurrentSqliteAdapter();
  }
  createDriver(): Driver {
    return new LibsqlDriver(this.client, this.lock, this.ready);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
  /** Runs the statements in one write transaction, in a single call to the client. */
  async batch(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    await this.ready;
    const release = await this.lock?.acquire();
    try {
      return (await this.client.batch(queries.map(toStatement), "write")).map(toResult);
    } finally {
      release?.();
    }
  }
}

/** SQLite's adapter for a client that takes many statements at once (sqld and Turso over HTTP). */
class ConcurrentSqliteAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

type DialectOptions = { serialize?: boolean; ready?: Promise<unknown> };

const dialects = new WeakMap<object, LibsqlDialect>();

/** A Kysely instance over a libSQL client (see `LibsqlDialect`). */
export function libsqlKysely<DB>(client: Client, options: DialectOptions = {}): Kysely<DB> {
  const dialect = new LibsqlDialect(client, options);
  const db = new Kysely<DB>({ dialect });
  dialects.set(db, dialect);
  return db;
}

/**
 * Runs compiled queries as one write transaction in a single call to the client (for sqld or
 * Turso, one HTTP request instead of one per statement): all of them or none. Only on a database
 * opened here, outside any transaction.
 */
export function executeBatch<DB>(db: Kysely<DB>, queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
  const dialect = dialects.get(db);
  if (!dialect) throw new Error("executeBatch needs a database opened by postvej, outside a transaction");
  return dialect.batch(queries);
}

/** A FIFO async mutex. */
class ConnectionLock {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

class LibsqlDriver implements Driver {
  private readonly client: Client;
  private readonly lock: ConnectionLock | undefined;
  private readonly ready: Promise<unknown> | undefined;
  constructor(client: Client, lock: ConnectionLock | undefined, ready: Promise<unknown> | undefined) {
    this.client = client;
    this.lock = lock;
    this.ready = ready;
  }
  async init() {
    await this.ready;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return new LibsqlConnection(this.client, this.lock);
  }
  async beginTransaction(conn: LibsqlConnection) {
    await conn.begin();
  }
  async commitTransaction(conn: LibsqlConnection) {
    await conn.commit();
  }
  async rollbackTransaction(conn: LibsqlConnection) {
    await conn.rollback();
  }
  async releaseConnection() {}
  async destroy() {
    this.client.close();
  }
}

class LibsqlConnection implements DatabaseConnection {
  private tx: Transaction | undefined;
  private release: (() => void) | undefined;
  private readonly client: Client;
  private readonly lock: ConnectionLock | undefined;
  constructor(client: Client, lock: ConnectionLock | undefined) {
    this.client = client;
    this.lock = lock;
  }

  async begin() {
    this.release = await this.lock?.acquire();
    try {
      this.tx = await this.client.transaction("write");
    } catch (e) {
      this.unlock();
      throw e;
    }
  }
  async commit() {
    const tx = this.take();
    try {
      await tx.commit();
    } finally {
      tx.close();
      this.unlock();
    }
  }
  async rollback() {
    const tx = this.take();
    try {
      await tx.rollback();
    } finally {
      tx.close();
      this.unlock();
    }
  }
  private unlock() {
    const release = this.release;
    this.release = undefined;
    release?.();
  }
  private take(): Transaction {
    const tx = this.tx;
    if (!tx) throw new Error("no transaction is open on this connection");
    this.tx = undefined;
    return tx;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = toStatement(compiled);
    if (this.tx) return toResult(await this.tx.execute(stmt));
    if (!this.lock) return toResult(await this.client.execute(stmt));
    const release = await this.lock.acquire();
    try {
      return toResult(await this.client.execute(stmt));
    } finally {
      release();
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("libSQL does not support streaming queries");
  }
}

function toStatement(compiled: CompiledQuery): InStatement {
  return { sql: compiled.sql, args: compiled.parameters as InStatement extends { args?: infer A } ? A : never };
}

function toResult<R>(rs: ResultSet): QueryResult<R> {
  return {
    rows: rs.rows as unknown as R[],
    numAffectedRows: BigInt(rs.rowsAffected),
    insertId: rs.lastInsertRowid,
  };
}
