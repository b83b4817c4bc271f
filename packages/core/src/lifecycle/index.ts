export {
  MESSAGE_STATE, PULL_GRACE_MS, PULL_LEASE_MS, enterQueue, release, reroute, relocate, afterPush, afterReceipt,
  pullOverdueCutoff, isPullOverdue, pullOverdue, recall,
  MANUAL_REPEAT_WINDOW_MS, RETRY_NOW_LIMIT, isManualRepeat, redeliver, retryNow,
} from "./message-lifecycle.ts";
export type {
  MessageState, Custody, QueueEntry, Recall, MessageEffects, FreshCustody, Move, AttemptEntry, PushResult, AfterPush, Receipt, AfterReceipt,
  CustodianSystem, RedeliveryColumns, RedeliveryRefusal, Redelivery, RetryNow,
} from "./message-lifecycle.ts";
export {
  SYSTEM_STATE, EPISODE_CLEARED, afterDelivered, afterFailed, clocksAfterAttempts, evaluate, deactivate, reactivate,
} from "./system-lifecycle.ts";
export type { SystemState, ClockWrite, EpisodeSystem, Evaluation } from "./system-lifecycle.ts";
export {
  API_KEY_MAX_LIFETIME_DAYS, KEY_STANDING, EXPIRY_PROBLEM, SIGNING_GRACE_HOURS, keyStanding, checkKeyExpiry, rotateSecret, secretsInForce, previousInForce,
} from "./credential-lifecycle.ts";
export type { KeyStanding, ExpiryProblem, StoredSecrets } from "./credential-lifecycle.ts";
