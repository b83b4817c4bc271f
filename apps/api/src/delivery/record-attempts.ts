import {
  appendEvents, inTransaction, insertAttempts, markSystemDelivered, recordPushOutcomes, startFailureClocks, type ClaimedMessage, type Database, type NewEvent,
} from "@postvej/db";
import type { Kysely } from "kysely";
import type { PushOutcome } from "./push-client.ts";

/** One finished push, waiting to be recorded. */
export type AttemptRecord = {
  message: ClaimedMessage;
  systemId: string;
  token: string;
  attempt: number;
  outcome: PushOutcome;
  at: string;
  nextAttemptAt: string;
};

/**
 * Records finished pushes in one transaction: each attempt row, the message's next state (only
 * while the run still holds its claim: a message rerouted meanwhile keeps its new custodian), the
 * systems' clocks (a success resets the silence, a failure starts it) and an event each.
 */
export async function recordAttempts(db: Kysely<Database>, records: readonly AttemptRecord[]): Promise<void> {
  if (records.length === 0) return;
  await inTransaction(db, async (tx) => {
    await insertAttempts(tx, records.map((r) => ({
      message_uuid: r.message.uuid, recipient_system_id: r.systemId, attempt_no: r.attempt, at: r.at,
      outcome: r.outcome.outcome, status_code: r.outcome.statusCode, error: r.outcome.error, duration_ms: Math.round(r.outcome.durationMs),
    })));
    const delivered = new Map<string, string>();
    const failures = new Map<string, string[]>();
    const events: NewEvent[] = [];
    const updated = new Set<string>();
    for (const token of new Set(records.map((r) => r.token))) {
      const mine = records.filter((r) => r.token === token);
      for (const uuid of await recordPushOutcomes(tx, token, mine.map((r) => ({
        uuid: r.message.uuid, at: r.at, attempt: r.attempt, delivered: r.outcome.outcome === "delivered",
        firstFailedAt: r.message.first_failed_at ?? r.at, nextAttemptAt: r.nextAttemptAt,
      })))) updated.add(uuid);
    }
    for (const r of records) {
      if (!updated.has(r.message.uuid)) continue;
      const ok = r.outcome.outcome === "delivered";
      if (ok) {
        if ((delivered.get(r.systemId) ?? "") < r.at) delivered.set(r.systemId, r.at);
      } else {
        failures.set(r.systemId, [...(failures.get(r.systemId) ?? []), r.at]);
      }
      events.push({
        authorityCvr: r.message.authority_cvr, at: r.at, type: ok ? "delivered" : "attempt_failed", messageUuid: r.message.uuid, recipientSystemId: r.systemId,
        data: { attempt: r.attempt, statusCode: r.outcome.statusCode, error: r.outcome.error, durationMs: Math.round(r.outcome.durationMs), ...(ok ? {} : { nextAttemptAt: r.nextAttemptAt }) },
      });
    }
    // A success resets the silence clock; it restarts at the first failure after the latest success.
    for (const [id, at] of delivered) {
      await markSystemDelivered(tx, id, at);
    }
    for (const [id, times] of failures) {
      const lastOk = delivered.get(id) ?? "";
      const after = times.filter((t) => t > lastOk).sort();
      const at = after[0];
      if (!at) continue;
      await startFailureClocks(tx, id, at);
    }
    await appendEvents(tx, events);
  });
}

/**
 * Collects records from concurrent pushes and writes them as they come: a batch goes out when
 * `size` are waiting or `maxDelayMs` after the first of them, whichever is sooner, so outcomes
 * reach the database within ~50 ms (after a crash only the pushes then in flight repeat). Every
 * `add` resolves once its record is committed; `flush` writes what waits and settles when all
 * batches so far are written.
 */
export function attemptRecorder(db: Kysely<Database>, size = 64, maxDelayMs = 50) {
  let pending: { record: AttemptRecord; done: () => void; fail: (e: unknown) => void }[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = pending;
    pending = [];
    if (batch.length > 0) {
      // One batch at a time, in order: a message's records never overtake each other.
      writing = writing.then(async () => {
        try {
          await recordAttempts(db, batch.map((p) => p.record));
          for (const p of batch) p.done();
        } catch (e) {
          for (const p of batch) p.fail(e);
        }
      });
    }
    return writing;
  };
  return {
    add(record: AttemptRecord): Promise<void> {
      const p = new Promise<void>((done, fail) => pending.push({ record, done, fail }));
      if (pending.length >= size) void flush();
      else timer ??= setTimeout(() => void flush(), maxDelayMs);
      return p;
    },
    flush,
  };
}
