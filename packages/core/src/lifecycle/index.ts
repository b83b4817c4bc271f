export { MESSAGE_STATE } from "./message-state.ts";
export type { MessageState, Custody, QueueEntry, MessageEffects } from "./message-state.ts";
export { enterQueue, release } from "./queue-entry.ts";
export { reroute, relocate } from "./custody-move.ts";
export type { FreshCustody, Move } from "./custody-move.ts";
export { afterPush } from "./push-outcome.ts";
export type { AttemptEntry, PushResult, AfterPush } from "./push-outcome.ts";
export {
  PULL_GRACE_MS,
  PULL_LEASE_MS,
  isFetched,
  afterReceipt,
  pullOverdueCutoff,
  isPullOverdue,
  pullOverdue,
} from "./pull-fetch-receipt.ts";
export type { Receipt, AfterReceipt } from "./pull-fetch-receipt.ts";
export { recall } from "./recall.ts";
export type { Recall } from "./recall.ts";
export { MANUAL_REPEAT_WINDOW_MS, RETRY_NOW_LIMIT, isManualRepeat, redeliver, retryNow } from "./manual-delivery.ts";
export type { CustodianSystem, RedeliveryColumns, RedeliveryRefusal, Redelivery, RetryNow } from "./manual-delivery.ts";
export { isRefusal, receiptError, isSameReceipt } from "./business-receipt.ts";
export {
  SYSTEM_STATE,
  EPISODE_CLEARED,
  afterDelivered,
  afterFailed,
  clocksAfterAttempts,
  evaluate,
  deactivate,
  reactivate,
} from "./system-lifecycle.ts";
export type { SystemState, ClockWrite, EpisodeSystem, Evaluation } from "./system-lifecycle.ts";
export {
  API_KEY_MAX_LIFETIME_DAYS,
  KEY_STANDING,
  EXPIRY_PROBLEM,
  SIGNING_GRACE_HOURS,
  keyStanding,
  checkKeyExpiry,
  rotateSecret,
  secretsInForce,
  previousInForce,
} from "./credential-lifecycle.ts";
export type { KeyStanding, ExpiryProblem, StoredSecrets } from "./credential-lifecycle.ts";
export {
  SENDER_RECEIPT_TYPE,
  RECEIPT_EVENT_TYPES,
  RECEIPT_ID_PREFIX,
  BUSINESS_RECEIPT_STATUSES,
  BUSINESS_RECEIPT_MAX_BYTES,
  RECEIPT_PUSH_TIMEOUT_MS,
  RECEIPT_PUSH_LIMITS,
  RECEIPT_LEASE_MS,
  RECEIPT_PUSH_ATTEMPTS,
  senderReceipt,
  afterReceiptPush,
  parseBusinessReceipt,
} from "./sender-receipt.ts";
export type { SenderReceiptType, SenderReceipt, ReceiptSource, AfterReceiptPush } from "./sender-receipt.ts";
