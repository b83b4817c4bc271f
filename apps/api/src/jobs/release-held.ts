import { appendEvents, inTransaction, type Database, type NewEvent } from "@postvej/db";
import type { Kysely } from "kysely";

/**
 * Releases held messages whose value date has come: they join delivery (push systems get an
 * attempt due now; pull systems see them as waiting; Virk keeps them).
 */
export async function releaseHeld(db: Kysely<Database>, now: Date, limit = 500): Promise<{ released: number }> {
  const at = now.toISOString();
  return inTransaction(db, async (tx) => {
    const due = await tx.selectFrom("messages")
      .leftJoin("recipient_systems", "recipient_systems.id", "messages.custodian_system_id")
      .select(["messages.uuid", "messages.authority_cvr", "messages.custodian_kind", "messages.custodian_system_id", "recipient_systems.protocol"])
      .where("messages.state", "=", "held").where("messages.release_at", "<=", at)
      .orderBy("messages.release_at").limit(limit).execute();
    const events: NewEvent[] = [];
    for (const m of due) {
      const toVirk = m.custodian_kind === "virk";
      await tx.updateTable("messages").set({
        state: toVirk ? "in_virk" : "queued",
        queued_at: at,
        next_attempt_at: !toVirk && m.protocol === "REST_PUSH" ? at : null,
      }).where("uuid", "=", m.uuid).where("state", "=", "held").execute();
      events.push({ authorityCvr: m.authority_cvr, at, type: "released", messageUuid: m.uuid, recipientSystemId: m.custodian_system_id });
      if (toVirk) events.push({ authorityCvr: m.authority_cvr, at, type: "landed_in_virk", messageUuid: m.uuid, data: { reason: "released" } });
    }
    await appendEvents(tx, events);
    return { released: due.length };
  });
}
