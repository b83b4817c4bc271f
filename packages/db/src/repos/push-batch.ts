import type { ClockWrite } from "@postvej/core/lifecycle";
import { CompiledQuery, sql, type Kysely } from "kysely";
import { executeBatch } from "../libsql-dialect.ts";
import type { Database } from "../schema.ts";
import { attemptsInsert, type NewAttempt } from "./attempts.ts";
import { pushOutcomeUpdates, type PushOutcomeRow } from "./delivery.ts";
import { compiledEventsInsert, type NewEvent } from "./events.ts";
import { episodeEndUpdate, systemClocksUpdate } from "./recipient-systems.ts";

/** What a group of finished pushes writes when every message's claim is still held. */
export type PushBatch = {
  attempts: readonly NewAttempt[];
  /** The outcomes, by the claim token they were pushed under. */
  outcomes: readonly { token: string; rows: readonly PushOutcomeRow[] }[];
  clocks: readonly { systemId: string; write: ClockWrite }[];
  /** Systems that received a message: their episode ends if nothing fails on them any more. */
  episodeEnds?: readonly string[];
  events: readonly NewEvent[];
};

// Fails the batch when the statement before changed other than `n` rows: abs() of the smallest
// integer is SQLite's "integer overflow" error, and a failed batch changes nothing.
const unlessChanged = (n: number) => sql`SELECT CASE WHEN changes() = ${n} THEN 1 ELSE abs(-9223372036854775807 - 1) END`;
// Its text is compiled once; each check binds its own count.
let unlessChangedText: string | undefined;
const compiledUnlessChanged = (db: Kysely<Database>, n: number) =>
  CompiledQuery.raw((unlessChangedText ??= unlessChanged(n).compile(db).sql), [n]);

/**
 * Writes finished pushes in one write batch (a single request to sqld, no interactive
 * transaction): the attempts, the messages' outcomes, the systems' clocks and the events. Each
 * outcome UPDATE is checked to have changed every one of its rows; when a claim was lost meanwhile
 * (a lapsed lease, a message rerouted) the batch fails and changes nothing, and this answers false
 * so the caller records in a transaction that finds which ones were lost.
 */
export async function recordPushBatch(db: Kysely<Database>, b: PushBatch): Promise<boolean> {
  const queries: CompiledQuery[] = [];
  if (b.attempts.length > 0) queries.push(attemptsInsert(db, b.attempts).compile());
  for (const { token, rows } of b.outcomes) {
    for (const u of pushOutcomeUpdates(token, rows)) queries.push(u.query.compile(db), compiledUnlessChanged(db, u.rows));
  }
  for (const c of b.clocks) queries.push(systemClocksUpdate(db, c.systemId, c.write).compile());
  for (const id of b.episodeEnds ?? []) queries.push(episodeEndUpdate(db, id).compile());
  if (b.events.length > 0) queries.push(compiledEventsInsert(db, b.events));
  if (queries.length === 0) return true;
  try {
    await executeBatch(db, queries);
    return true;
  } catch (err) {
    if (isIntegerOverflow(err)) return false;
    throw err;
  }
}

function isIntegerOverflow(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Object && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { message } = e as { message?: unknown };
    if (typeof message === "string" && /integer overflow/i.test(message)) return true;
  }
  return false;
}
