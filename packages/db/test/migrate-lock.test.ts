import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openNodeDatabase } from "../src/client-node.ts";
import { migrateToLatest } from "../src/migrate.ts";
import { withMigrationLock } from "../src/migration-lock.ts";
import type { Database } from "../src/schema.ts";
import { freshDatabase } from "./helpers.ts";
import { type Sqld, startSqld } from "./sqld.ts";

const CHILD = resolve(import.meta.dirname, "fixtures/migrate-child.ts");

/** Every schema object but SQLite's own, as `type name: sql`. */
async function schemaOf(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
    SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_litestream%'
    ORDER BY type, name`.execute(db);
  return rows.map((r) => `${r.type} ${r.name}: ${r.sql?.replace(/\s+/g, " ")}`);
}

async function executedMigrations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.map((r) => r.name);
}

/** Puts the lease row in place as another migrator would have left it. */
async function leaseHeldBy(db: Kysely<Database>, holder: string, expiresAt: number): Promise<void> {
  await sql`CREATE TABLE postvej_migration_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, expires_at INTEGER NOT NULL)`.execute(db);
  await sql`INSERT INTO postvej_migration_lock (id, holder, expires_at) VALUES (1, ${holder}, ${expiresAt})`.execute(db);
}

interface Child {
  ready: Promise<void>;
  done: Promise<{ code: number | null; stderr: string }>;
  go(): void;
}

/** A separate Node process (the pinned Node this test runs on) that migrates `url` once told to go. */
function migrateInChild(url: string): Child {
  const child: ChildProcess = spawn(process.execPath, [CHILD, url], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let onReady!: () => void;
  const ready = new Promise<void>((ok) => (onReady = ok));
  child.stdout?.on("data", (c: Buffer) => {
    stdout += c.toString();
    if (stdout.includes("ready\n")) onReady();
  });
  child.stderr?.on("data", (c: Buffer) => void (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((ok) =>
    child.once("exit", (code) => {
      onReady();
      ok({ code, stderr });
    }),
  );
  return { ready, done, go: () => child.stdin?.write("go\n") };
}

describe("migrations under a cross-process lock", () => {
  let sqld: Sqld;
  beforeAll(async () => {
    sqld = await startSqld();
  }, 30_000);
  afterAll(async () => {
    await sqld?.stop();
  });

  /** The sqld's one database, emptied: every test starts on a server nobody has migrated. */
  async function emptyRemote(): Promise<Kysely<Database>> {
    const db = await openNodeDatabase(sqld.url);
    const { rows } = await sql<{ type: string; name: string }>`
      SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'
      AND name NOT LIKE '_litestream%'`.execute(db);
    await sql`PRAGMA foreign_keys = OFF`.execute(db);
    for (const r of rows) await sql.raw(`DROP ${r.type.toUpperCase()} IF EXISTS "${r.name}"`).execute(db);
    expect(await schemaOf(db)).toEqual([]);
    return db;
  }

  it("lets instances that start together on an empty sqld all come up, migrated once", async () => {
    const db = await emptyRemote();
    const children = [migrateInChild(sqld.url), migrateInChild(sqld.url), migrateInChild(sqld.url)];
    const locals = [await openNodeDatabase(sqld.url), await openNodeDatabase(sqld.url)];
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const inProcess = await Promise.allSettled(locals.map((l) => migrateToLatest(l)));
    const exits = await Promise.all(children.map((c) => c.done));

    expect(inProcess.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok"]);
    expect(exits.map((e) => (e.code === 0 ? "ok" : e.stderr))).toEqual(["ok", "ok", "ok"]);
    const reference = await freshDatabase();
    expect(await schemaOf(db)).toEqual(await schemaOf(reference));
    expect(await executedMigrations(db)).toEqual(await executedMigrations(reference));
    // The lease is given back: nobody holds it once everyone is up.
    expect((await sql`SELECT * FROM postvej_migration_lock`.execute(db)).rows).toEqual([]);
    await reference.destroy();
    await Promise.all(locals.map((l) => l.destroy()));
    await db.destroy();
  }, 60_000);

  it("takes over the lease of a holder that crashed once it has lapsed", async () => {
    const db = await emptyRemote();
    // A holder took the lease over a minute ago and died without migrating or giving it back.
    await leaseHeldBy(db, "crashed", Date.now() - 1_000);
    const started = Date.now();
    await migrateToLatest(db);
    expect(Date.now() - started).toBeLessThan(10_000);
    const reference = await freshDatabase();
    expect(await schemaOf(db)).toEqual(await schemaOf(reference));
    expect((await sql`SELECT * FROM postvej_migration_lock`.execute(db)).rows).toEqual([]);
    await reference.destroy();
    await db.destroy();
  }, 30_000);

  it("waits while a live holder has the lease, and proceeds once it lapses", async () => {
    const db = await emptyRemote();
    const lapses = Date.now() + 1_500;
    await leaseHeldBy(db, "other instance", lapses);
    await migrateToLatest(db);
    expect(Date.now()).toBeGreaterThanOrEqual(lapses);
    // Every migration ran: as many as a fresh database has (not a number to bump with each new one).
    const reference = await freshDatabase();
    expect(await executedMigrations(db)).toEqual(await executedMigrations(reference));
    expect(await executedMigrations(db)).toContain("2026-11-27-004-sender-label");
    await reference.destroy();
    await db.destroy();
  }, 30_000);

  it("gives up, bounded, with a clear error while another holder keeps its lease", async () => {
    const db = await emptyRemote();
    await leaseHeldBy(db, "busy instance", Date.now() + 60_000);
    await expect(migrateToLatest(db, { maxWaitMs: 300 })).rejects.toThrow(/migration lock.*held by busy instance/);
    expect(await schemaOf(db)).toEqual([expect.stringMatching(/^table postvej_migration_lock/)]);
    await db.destroy();
  }, 30_000);

  it("renews the lease while the holder is still working, and hands it on when done", async () => {
    const db = await emptyRemote();
    const order: string[] = [];
    let release!: () => void;
    const working = new Promise<void>((ok) => (release = ok));
    const first = withMigrationLock(
      db,
      async () => {
        order.push("first starts");
        await working;
        order.push("first ends");
      },
      { leaseMs: 300, holder: "first" },
    );
    while (order.length === 0) await new Promise((r) => setTimeout(r, 10));
    // Three lease lengths later the first holder still has it: a second one gives up...
    await expect(withMigrationLock(db, async () => void order.push("too early"), { leaseMs: 300, maxWaitMs: 900 })).rejects.toThrow(
      /held by first/,
    );
    // ...and one that waits gets it as soon as the first is done.
    const second = withMigrationLock(db, async () => void order.push("second"), { leaseMs: 300 });
    await new Promise((r) => setTimeout(r, 200));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first starts", "first ends", "second"]);
    expect((await sql`SELECT * FROM postvej_migration_lock`.execute(db)).rows).toEqual([]);
    await db.destroy();
  }, 30_000);
});

describe("migrations on an embedded file from several processes", () => {
  it("bring the schema up once when processes start together", async () => {
    const reference = await freshDatabase();
    const url = `file:${join(mkdtempSync(join(tmpdir(), "postvej-db-lock-")), "shared.db")}`;
    const children = [migrateInChild(url), migrateInChild(url)];
    const local = await openNodeDatabase(url);
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    await migrateToLatest(local);
    const exits = await Promise.all(children.map((c) => c.done));
    expect(exits.map((e) => (e.code === 0 ? "ok" : e.stderr))).toEqual(["ok", "ok"]);
    expect(await schemaOf(local)).toEqual(await schemaOf(reference));
    await local.destroy();
    await reference.destroy();
  }, 60_000);
});
