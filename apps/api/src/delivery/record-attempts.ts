import { clocksAfterAttempts, type afterPush } from "@postvej/core/lifecycle";
import type { MemoConversion } from "@postvej/core/memo";
import {
  appendEvents,
  appendEventsOnce,
  endEpisodeIfNothingFails,
  inTransaction,
  insertAttempts,
  recordPushBatch,
  recordPushOutcomes,
  writeSystemClocks,
  type PushBatch,
  type ClaimedMessage,
  type Database,
  type NewEvent,
} from "@postvej/db";
import type { Kysely } from "kysely";
import { convertedEvent } from "./memo-for-system.ts";
import type { PushOutcome } from "./push-client.ts";

/** One finished push, waiting to be recorded: what the push client saw and what the lifecycle made of it. */
export type AttemptRecord = {
  message: ClaimedMessage;
  systemId: string;
  token: string;
  outcome: PushOutcome;
  result: ReturnType<typeof afterPush>;
  /** What converting the message to the system's MeMo version did, when it was converted. */
  conversion?: MemoConversion;
};

/**
 * Records finished pushes: each attempt row, the message's next state (only while the run still
 * holds its claim: a message rerouted meanwhile keeps its new custodian), the systems' clocks (as
 * the lifecycle's `clocksAfterAttempts` says) and an event each. All of it in one write batch when
 * every claim is still held (the common case: one request to sqld); otherwise, and for messages
 * converted to their system's MeMo version, in a transaction that finds which claims were lost.
 */
export async function recordAttempts(db: Kysely<Database>, records: readonly AttemptRecord[]): Promise<void> {
  if (records.length === 0) return;
  if (!records.some((r) => r.conversion)) {
    const all = new Set(records.map((r) => r.message.uuid));
    const { events, recorded } = whatWasRecorded(records, all);
    const batch: PushBatch = {
      attempts: attemptRows(records),
      outcomes: [...new Set(records.map((r) => r.token))].map((token) => ({ token, rows: outcomeRows(records, token) })),
      clocks: [...clocksAfterAttempts(recorded)].flatMap(([systemId, writes]) => writes.map((write) => ({ systemId, write }))),
      episodeEnds: receivingSystems(recorded),
      events,
    };
    if (await recordPushBatch(db, batch)) return;
  }
  await inTransaction(db, async (tx) => {
    await insertAttempts(tx, attemptRows(records));
    const updated = new Set<string>();
    for (const token of new Set(records.map((r) => r.token))) {
      for (const uuid of await recordPushOutcomes(tx, token, outcomeRows(records, token))) updated.add(uuid);
    }
    const { events, conversions, recorded } = whatWasRecorded(records, updated);
    for (const [id, writes] of clocksAfterAttempts(recorded)) {
      for (const w of writes) await writeSystemClocks(tx, id, w);
    }
    for (const id of receivingSystems(recorded)) await endEpisodeIfNothingFails(tx, id);
    // the first conversion for a system, before the attempt it was sent in
    if (conversions.length > 0) await appendEventsOnce(tx, conversions);
    await appendEvents(tx, events);
  });
}

/** The systems a message was delivered to: where a failure episode may have just ended. */
const receivingSystems = (recorded: readonly { systemId: string; delivered: boolean }[]) => [
  ...new Set(recorded.filter((r) => r.delivered).map((r) => r.systemId)),
];

const attemptRows = (records: readonly AttemptRecord[]) =>
  records.map((r) => ({ ...r.result.attempt, messageUuid: r.message.uuid, recipientSystemId: r.systemId }));

const outcomeRows = (records: readonly AttemptRecord[], token: string) =>
  records.filter((r) => r.token === token).map((r) => ({ uuid: r.message.uuid, next: r.result.next }));

/** The events, conversion events and clock inputs of the records whose message was `updated`. */
function whatWasRecorded(records: readonly AttemptRecord[], updated: ReadonlySet<string>) {
  const events: NewEvent[] = [];
  const conversions: NewEvent[] = [];
  const recorded: { systemId: string; at: string; delivered: boolean }[] = [];
  for (const r of records) {
    if (!updated.has(r.message.uuid)) continue;
    const { attempt, next, event } = r.result;
    recorded.push({ systemId: r.systemId, at: attempt.at, delivered: next.state === "delivered" });
    if (r.conversion)
      conversions.push(
        convertedEvent(r.conversion, {
          authorityCvr: r.message.authority_cvr,
          messageUuid: r.message.uuid,
          systemId: r.systemId,
          at: attempt.at,
        }),
      );
    events.push({
      authorityCvr: r.message.authority_cvr,
      at: attempt.at,
      type: event,
      messageUuid: r.message.uuid,
      recipientSystemId: r.systemId,
      data: {
        attempt: attempt.attemptNo,
        statusCode: attempt.statusCode,
        error: attempt.error,
        durationMs: attempt.durationMs,
        ...(next.state === "delivered"
          ? next.receiptStatus
            ? { receipt: next.receiptStatus }
            : {}
          : { nextAttemptAt: next.nextAttemptAt }),
      },
    });
  }
  return { events, conversions, recorded };
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
          await recordAttempts(
            db,
            batch.map((p) => p.record),
          );
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
