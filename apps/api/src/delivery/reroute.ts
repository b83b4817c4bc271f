import { reroute } from "@postvej/core/lifecycle";
import { toPrimaryOrVirk } from "@postvej/core/routing";
import { appendEvents, listRecipientSystems, moveCustody, type Db, type NewEvent, type RecipientSystemsTable } from "@postvej/db";

/** Where rerouted post went. */
export type RerouteDestination = { kind: "primary"; systemId: string; systemName: string } | { kind: "virk" };

/** Why post left a system. */
export type RerouteReason = "system_deactivated" | "failed_seven_days";

/**
 * Moves messages off `from` along the fallback chain (the primary when active and not `from`
 * itself, else Virk) inside the caller's transaction: each enters its new queue as the lifecycle's
 * `reroute` says (a held one stays held), each moved one with a `rerouted` (and, re-queued in Virk, `landed_in_virk`)
 * event; `moved` counts both kinds. Claims are dropped so no run writes over it.
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
    systems.map((s) => ({
      id: s.id,
      state: s.id === from.id && reason === "system_deactivated" ? ("deactivated" as const) : s.state,
      primary: s.is_primary === 1,
    })),
    [],
    null,
    from.id,
  );
  const target =
    decision.custodian.kind === "recipient_system"
      ? systems.find((s) => s.id === (decision.custodian as { recipientSystemId: string }).recipientSystemId)
      : undefined;
  const destination: RerouteDestination = target ? { kind: "primary", systemId: target.id, systemName: target.name } : { kind: "virk" };
  if (uuids.length === 0) return { destination, moved: 0 };

  const move = reroute(!target ? "virk" : target.protocol === "REST_PUSH" ? "push" : "pull", new Date(at));
  const to = target ? { kind: "recipient_system" as const, systemId: target.id } : { kind: "virk" as const };
  const routeReason = reason === "system_deactivated" ? decision.reason : "failed_seven_days";
  let moved = 0;
  for (let i = 0; i < uuids.length; i += 500) {
    const chunk = uuids.slice(i, i + 500);
    const r = await moveCustody(tx, from.id, chunk, to, routeReason, move);
    moved += r.queued.length + r.held.length;
    const requeued = new Set(r.queued);
    const heldMoved = new Set(r.held);
    const events: NewEvent[] = [];
    for (const uuid of chunk) {
      if (!requeued.has(uuid) && !heldMoved.has(uuid)) continue;
      events.push({
        authorityCvr: from.authority_cvr,
        at,
        type: "rerouted",
        messageUuid: uuid,
        recipientSystemId: target?.id ?? null,
        data: { from: from.id, to: destination, reason },
      });
      if (move.toVirk && requeued.has(uuid))
        events.push({ authorityCvr: from.authority_cvr, at, type: "landed_in_virk", messageUuid: uuid, data: { reason, from: from.id } });
    }
    await appendEvents(tx, events);
  }
  return { destination, moved };
}
