export { ROUTE_REASON } from "./route-reason.ts";
export type { RouteReason } from "./route-reason.ts";
export { routeMessage, toPrimaryOrVirk } from "./route-message.ts";
export type { RoutableSystem, RoutableContactPoint, Custodian, RouteDecision } from "./route-message.ts";
export { becomesPrimary, canBecomePrimary } from "./primary-rule.ts";
