import { toPrimaryOrVirk } from "@postvej/core/routing";
import { appendEvents, listRecipientSystems, moveCustody, type Db, type NewEvent, type RecipientSystemsTable } from "@postvej/db";

/** Where rerouted post went. */
export type RerouteDestination = { kind: "primary"; systemId: string; systemName: string } | { kind: "virk" };

/** Why post left a system. */
export type RerouteReason = "system_deactivated" | "failed_seven_days";

/**
 * Moves messages off `from` along the fallback chain (the primary when active and not `from`
 * itself, else Virk) inside the caller's transaction: custodian, state, a fresh delivery schedule,
 * and a `rerouted` (and `landed_in_virk`) event each. Claims are dropped so no run writes over it.
 */
export async function rerouteMessages(
  tx: Db,
  from: RecipientSystemsTable,
  uuids: readonly string[],
  reason: RerouteReason,
  at: string,
): Promise<{ destination: RerouteDestination; moved: number }> {
  const systems = await listRecipientSystems(tx, from.authority_cvr);
  const decision = toPrimaryOrVirk(
    systems.map((s) => ({ id: s.id, state: s.id === from.id && reason === "system_deactivated" ? "deactivated" as const : s.state, primary: s.is_primary === 1 })),
    [], null, from.id,
  );
  const target = decision.custodian.kind === "recipient_system" ? systems.find((s) => s.id === (decision.custodian as { recipientSystemId: string }).recipientSystemId) : undefined;
  const destination: RerouteDestination = target ? { kind: "primary", systemId: target.id, systemName: target.name } : { kind: "virk" };
  if (uuids.length === 0) return { destination, moved: 0 };

  const custodian = target ? { custodian_kind: "recipient_system" as const, custodian_system_id: target.id } : { custodian_kind: "virk" as const, custodian_system_id: null };
  const common = { ...custodian, queued_at: at, route_reason: reason === "system_deactivated" ? decision.reason : "failed_seven_days", claim_token: null, claimed_until: null, first_failed_at: null,
    // Attempts count per recipient system: the new custodian's first push is attempt 1 (the history keeps them all).
    attempt_count: 0 };
  let moved = 0;
  for (let i = 0; i < uuids.length; i += 500) {
    const chunk = uuids.slice(i, i + 500);
    const r = await moveCustody(tx, from.id, chunk, common, {
      state: target ? "queued" : "in_virk",
      next_attempt_at: target?.protocol === "REST_PUSH" ? at : null,
    });
    moved += r.length;
    const rerouted = new Set(r);
    const events: NewEvent[] = [];
    for (const uuid of chunk) {
      events.push({ authorityCvr: from.authority_cvr, at, type: "rerouted", messageUuid: uuid, recipientSystemId: target?.id ?? null, data: { from: from.id, to: destination, reason } });
      if (!target && rerouted.has(uuid)) events.push({ authorityCvr: from.authority_cvr, at, type: "landed_in_virk", messageUuid: uuid, data: { reason, from: from.id } });
    }
    await appendEvents(tx, events);
  }
  return { destination, moved };
}
