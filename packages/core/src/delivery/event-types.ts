/** Every kind of event in the append-only log, about a message, a recipient system or an API key. */
export const EVENT_TYPE = {
  received: "received",
  routed: "routed",
  held: "held",
  released: "released",
  recalled: "recalled",
  attemptFailed: "attempt_failed",
  delivered: "delivered",
  receiptRejected: "receipt_rejected",
  rerouted: "rerouted",
  landedInVirk: "landed_in_virk",
  systemWarned: "system_warned",
  systemDeactivated: "system_deactivated",
  systemReactivated: "system_reactivated",
  primaryChanged: "primary_changed",
  apiKeyCreated: "api_key_created",
  apiKeyRevoked: "api_key_revoked",
  signingSecretRotated: "signing_secret_rotated",
  relocationStarted: "relocation_started",
  relocated: "relocated",
  relocationFinished: "relocation_finished",
  relocationStopped: "relocation_stopped",
  /** An administrator asked for a message to be delivered again now (`POST /v1/messages/{uuid}/redeliver`). */
  manualRedelivery: "manual_redelivery",
  /** An administrator made a system's queued post due now (`POST …/recipient-systems/{id}/retry-now`). */
  retryNow: "retry_now",
  /** A message was converted to the MeMo version its recipient system chose (once per system: from, to, dropped paths). */
  converted: "converted",
} as const;
export type EventType = (typeof EVENT_TYPE)[keyof typeof EVENT_TYPE];
