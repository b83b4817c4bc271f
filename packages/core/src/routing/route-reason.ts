/** Why a message went where it went (domain.md §4). */
export const ROUTE_REASON = {
  contactPoint: "contact_point",
  cvrOnly: "cvr_only",
  unknownContactPoint: "unknown_contact_point",
  contactPointInactive: "contact_point_inactive",
  systemDeactivated: "system_deactivated",
  primaryDeactivated: "primary_deactivated",
  noPrimary: "no_primary",
  relocated: "relocated",
} as const;
export type RouteReason = (typeof ROUTE_REASON)[keyof typeof ROUTE_REASON];
