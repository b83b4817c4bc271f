import type { AttemptEntry } from "@postvej/core/lifecycle";
import type { Db } from "./db-handle.ts";

/** One attempt to append: the message, the system it was tried at, and what the lifecycle says of it. */
export type NewAttempt = AttemptEntry & { messageUuid: string; recipientSystemId: string };

/** Appends delivery attempts (pushes, pull receipts, overdue pulls) to a message's history. */
export async function insertAttempts(db: Db, rows: readonly NewAttempt[]): Promise<void> {
  if (rows.length === 0) return;
  await attemptsInsert(db, rows).execute();
}

/** The statement that appends `rows` (at least one) to the attempts, to run or to batch. */
export function attemptsInsert(db: Db, rows: readonly NewAttempt[]) {
  return db.insertInto("attempts").values(
    rows.map((r) => ({
      message_uuid: r.messageUuid,
      recipient_system_id: r.recipientSystemId,
      attempt_no: r.attemptNo,
      at: r.at,
      outcome: r.outcome,
      status_code: r.statusCode,
      error: r.error,
      duration_ms: r.durationMs,
    })),
  );
}
