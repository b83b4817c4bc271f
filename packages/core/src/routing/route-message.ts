import { ROUTE_REASON, type RouteReason } from "./route-reason.ts";

/** What routing needs to know about a recipient system. */
export type RoutableSystem = { id: string; state: "active" | "deactivated"; primary: boolean };
/** What routing needs to know about a contact point. */
export type RoutableContactPoint = { id: string; active: boolean; recipientSystemId: string };

/** Where a message is kept: a recipient system, or the authority's Virk mailbox. */
export type Custodian = { kind: "recipient_system"; recipientSystemId: string } | { kind: "virk" };

/** A routing decision: the custodian, the final reason, and every step that led there. */
export type RouteDecision = {
  custodian: Custodian;
  reason: RouteReason;
  steps: RouteReason[];
  contactPointId: string | null;
};

/**
 * Routes a message per domain.md §4: an active contact point's system, else the primary, else
 * Virk. `contactPoint` is the authority's contact point with the requested id (null when none
 * was requested or the authority has none by that id).
 */
export function routeMessage(input: {
  requestedContactPointId: string | null;
  contactPoint: RoutableContactPoint | null;
  systems: readonly RoutableSystem[];
}): RouteDecision {
  const { requestedContactPointId, contactPoint, systems } = input;
  const steps: RouteReason[] = [];
  if (contactPoint && contactPoint.active) {
    const system = systems.find((s) => s.id === contactPoint.recipientSystemId);
    if (system && system.state === "active") {
      return decide({ kind: "recipient_system", recipientSystemId: system.id }, ROUTE_REASON.contactPoint, steps, contactPoint.id);
    }
    steps.push(ROUTE_REASON.systemDeactivated);
  } else if (contactPoint) {
    steps.push(ROUTE_REASON.contactPointInactive);
  } else {
    steps.push(requestedContactPointId ? ROUTE_REASON.unknownContactPoint : ROUTE_REASON.cvrOnly);
  }
  const viaContactPoint = contactPoint?.id ?? null;
  return toPrimaryOrVirk(systems, steps, viaContactPoint);
}

/** The fallback chain after the chosen system: the primary when active, else Virk. */
export function toPrimaryOrVirk(
  systems: readonly RoutableSystem[],
  steps: RouteReason[] = [],
  contactPointId: string | null = null,
  excludeSystemId?: string,
): RouteDecision {
  const primary = systems.find((s) => s.primary);
  if (!primary) {
    steps.push(ROUTE_REASON.noPrimary);
    return decide({ kind: "virk" }, ROUTE_REASON.noPrimary, steps, contactPointId);
  }
  if (primary.state !== "active" || primary.id === excludeSystemId) {
    steps.push(ROUTE_REASON.primaryDeactivated);
    return decide({ kind: "virk" }, ROUTE_REASON.primaryDeactivated, steps, contactPointId);
  }
  const reason = steps[steps.length - 1] ?? ROUTE_REASON.cvrOnly;
  return decide({ kind: "recipient_system", recipientSystemId: primary.id }, reason, steps, contactPointId);
}

function decide(custodian: Custodian, reason: RouteReason, steps: RouteReason[], contactPointId: string | null): RouteDecision {
  return { custodian, reason, steps: steps.length ? steps : [reason], contactPointId };
}
