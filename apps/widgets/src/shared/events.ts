import type { AuthorityStatus, RelocationStarted, RetryNow, SystemStatus, TestDeliveryResult } from "./api-types.ts";

/** Detail of `postvej-token-expiring`: the panel wants a fresh token for this authority. */
export interface TokenExpiringDetail {
  authority: string;
  reason: "expiring" | "unauthorized";
}

/** Detail of `postvej-open-event-log`: the status panel asks the host to show the event log of one recipient system. */
export interface OpenEventLogDetail {
  authority: string;
  recipientSystemId: string;
}

/** Detail of `postvej-error`. */
export interface ErrorDetail {
  authority: string;
  status: number;
  code: string;
  message: string;
}

declare global {
  interface GlobalEventHandlersEventMap {
    "postvej-token-expiring": CustomEvent<TokenExpiringDetail>;
    "postvej-error": CustomEvent<ErrorDetail>;
    "postvej-status-updated": CustomEvent<{ status: AuthorityStatus }>;
    "postvej-system-reactivated": CustomEvent<{ system: SystemStatus }>;
    "postvej-test-delivery": CustomEvent<{ systemId: string; result: TestDeliveryResult }>;
    "postvej-retry-now": CustomEvent<{ systemId: string; result: RetryNow }>;
    "postvej-relocation-started": CustomEvent<{ relocation: RelocationStarted }>;
    "postvej-relocation-finished": CustomEvent<{ relocation: RelocationStarted }>;
    "postvej-open-event-log": CustomEvent<OpenEventLogDetail>;
  }
}

export type PostvejEventName = Extract<keyof GlobalEventHandlersEventMap, `postvej-${string}`>;
