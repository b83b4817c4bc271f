import { release } from "@postvej/core/lifecycle";
import { appendEvents, dueHeldMessages, inTransaction, releaseHeldMessage, type Database, type NewEvent } from "@postvej/db";
import type { Kysely } from "kysely";

/**
 * Releases held messages whose value date has come: they enter their queue as the lifecycle's
 * `release` says (push systems get an attempt due now; pull systems see them as waiting; Virk keeps them).
 */
export async function releaseHeld(db: Kysely<Database>, now: Date, limit = 500): Promise<{ released: number }> {
  const at = now.toISOString();
  return inTransaction(db, async (tx) => {
    const due = await dueHeldMessages(tx, at, limit);
    const events: NewEvent[] = [];
    for (const m of due) {
      const entry = release(m.custodian_kind === "virk" ? "virk" : m.protocol === "REST_PUSH" ? "push" : "pull", now);
      await releaseHeldMessage(tx, m.uuid, entry);
      for (const type of entry.events) {
        events.push(
          type === "released"
            ? { authorityCvr: m.authority_cvr, at, type, messageUuid: m.uuid, recipientSystemId: m.custodian_system_id }
            : { authorityCvr: m.authority_cvr, at, type, messageUuid: m.uuid, data: { reason: "released" } },
        );
      }
    }
    await appendEvents(tx, events);
    return { released: due.length };
  });
}
