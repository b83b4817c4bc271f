import { appendEvents, dueHeldMessages, inTransaction, releaseHeldMessage, type Database, type NewEvent } from "@postvej/db";
import type { Kysely } from "kysely";

/**
 * Releases held messages whose value date has come: they join delivery (push systems get an
 * attempt due now; pull systems see them as waiting; Virk keeps them).
 */
export async function releaseHeld(db: Kysely<Database>, now: Date, limit = 500): Promise<{ released: number }> {
  const at = now.toISOString();
  return inTransaction(db, async (tx) => {
    const due = await dueHeldMessages(tx, at, limit);
    const events: NewEvent[] = [];
    for (const m of due) {
      const toVirk = m.custodian_kind === "virk";
      await releaseHeldMessage(tx, m.uuid, { state: toVirk ? "in_virk" : "queued", at, nextAttemptAt: !toVirk && m.protocol === "REST_PUSH" ? at : null });
      events.push({ authorityCvr: m.authority_cvr, at, type: "released", messageUuid: m.uuid, recipientSystemId: m.custodian_system_id });
      if (toVirk) events.push({ authorityCvr: m.authority_cvr, at, type: "landed_in_virk", messageUuid: m.uuid, data: { reason: "released" } });
    }
    await appendEvents(tx, events);
    return { released: due.length };
  });
}
