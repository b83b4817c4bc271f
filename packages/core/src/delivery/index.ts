export { EVENT_TYPE } from "./event-types.ts";
export type { EventType } from "./event-types.ts";
export { newSigningSecret, signPayload, verifyWebhook, SigningSecretError, WEBHOOK_REJECTION } from "./signing.ts";
export type { WebhookHeaders, WebhookRejection } from "./signing.ts";
export {
  RETRY_DELAYS_MS,
  RETRY_JITTER,
  RETRY_AFTER_BOUNDS_MS,
  nextRetryDelayMs,
  clampRetryAfter,
} from "./retry-schedule.ts";
export { addressKind, checkEndpoint, ENDPOINT_PROBLEM } from "./endpoint-policy.ts";
export type { AddressKind, EndpointCheck, EndpointProblem } from "./endpoint-policy.ts";
export { evaluateFlow, episodeTimeline, EPISODE_DAYS, NEXT_STEP, MOVE_ON_AFTER_MS } from "./redelivery-flow.ts";
export type { SystemClocks, FlowDecision, NextStepKind } from "./redelivery-flow.ts";
export { MIN_CLAIM_LEASE_MS, UNREACHABLE_RETRY_MS, pushClaimLeaseMs } from "./claim-lease.ts";
