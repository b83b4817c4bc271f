export type {
  Database,
  AuthoritiesTable,
  ApiKeysTable,
  PortalSessionsTable,
  RecipientSystemsTable,
  ContactPointsTable,
  MessagesTable,
  MessageRow,
  MessageBodiesTable,
  BodyEncoding,
  MessageState,
  AttemptsTable,
  EventsTable,
  OutboxTable,
  RelocationsTable,
  RelocationItemsTable,
  SettingsTable,
  ReceiptEndpointsTable,
  SenderReceiptsTable,
} from "./schema.ts";
export { executeBatch } from "./libsql-dialect.ts";
export { migrateToLatest } from "./migrate.ts";
export type { Db } from "./repos/db-handle.ts";
export { inTransaction } from "./repos/db-handle.ts";
export { insertAuthority, findAuthority, listAuthorities } from "./repos/authorities.ts";
export {
  insertApiKey,
  findApiKeyByHash,
  findApiKey,
  listApiKeys,
  revokeApiKey,
  revokeApiKeysLabelled,
  touchApiKey,
  insertPortalSession,
  findPortalSession,
} from "./repos/api-keys.ts";
export type { ApiKeyRow } from "./repos/api-keys.ts";
export { addToSetting, getSetting, putSetting, pingDatabase } from "./repos/settings.ts";
export { appendEvents, appendEventsOnce, listMessageEvents, listAuthorityEvents, landedInVirkBetween } from "./repos/events.ts";
export type { NewEvent, EventFilter } from "./repos/events.ts";
export type { NewMessage } from "./repos/messages.ts";
export {
  insertRecipientSystem,
  findRecipientSystem,
  getRecipientSystem,
  listRecipientSystems,
  updateRecipientSystem,
  setPrimary,
  listSystemsInEpisode,
  findActiveSystem,
  listDeactivatedSystems,
  listActivePullSystems,
  markSystemWarned,
  writeSystemClocks,
  endEpisodeIfNothingFails,
  deactivateRecipientSystem,
  reactivateRecipientSystem,
  businessContactEmails,
  listUnsealedSecrets,
  replaceStoredSecret,
  NEW_SYSTEM_STATE,
} from "./repos/recipient-systems.ts";
export {
  insertContactPoint,
  findContactPoint,
  listContactPoints,
  updateContactPoint,
  listContactPointsWithSystems,
} from "./repos/contact-points.ts";
export {
  storeNewMessages,
  MESSAGE_META_COLUMNS,
  NOT_YET_DELIVERED,
  findMessageMeta,
  findMessageBody,
  findMessageBodies,
  listAttempts,
  findMessagesByLabel,
  toBytes,
} from "./repos/messages.ts";
export type { MessageMeta, StoredBody } from "./repos/messages.ts";
export { insertAttempts } from "./repos/attempts.ts";
export { recordPushBatch } from "./repos/push-batch.ts";
export type { PushBatch } from "./repos/push-batch.ts";
export type { NewAttempt } from "./repos/attempts.ts";
export { dueHeldMessages, releaseHeldMessage, recallHeldMessage } from "./repos/held.ts";
export type { DueHeldMessage } from "./repos/held.ts";
export { listPullWaiting, leaseForPull, markPullReceipted, findPullBody } from "./repos/pull.ts";
export type { PullWaitingRow } from "./repos/pull.ts";
export {
  enqueueEmail,
  claimDueEmails,
  renewEmailClaim,
  markEmailSent,
  markEmailFailed,
  listNotifications,
  lastDigestAt,
  NoRecipientsError,
} from "./repos/outbox.ts";
export type { NewEmail, OutboxRow, NotificationSummary } from "./repos/outbox.ts";
export {
  claimDueMessages,
  renewClaims,
  releaseClaims,
  deferClaims,
  oldestFailureOn,
  undeliveredCount,
  undeliveredMessages,
  failedSince,
  waitingSince,
  recordPushOutcomes,
  markFirstFailure,
  moveCustody,
} from "./repos/delivery.ts";
export type { ClaimedMessage, PushOutcomeRow, NewCustodian } from "./repos/delivery.ts";
export { redeliverMessage, makeSystemDueNow, lastFailureOn, lastManualRedelivery, lastRetryNow } from "./repos/manual-delivery.ts";
export {
  listVirkMessages,
  countVirkMessages,
  findVirkMessage,
  virkMessageBodies,
  selectVirkForPlan,
  pendingElsewhere,
  whereInVirk,
} from "./repos/virk.ts";
export type { VirkFilter, VirkKey, VirkRow } from "./repos/virk.ts";
export {
  insertRelocation,
  claimRelocationItems,
  insertSkippedItems,
  addRelocationCounts,
  pendingItems,
  applyRelocationBatch,
  closeRelocation,
  relocationEvent,
  findRelocation,
  getRelocation,
  listRelocations,
  listRelocationItems,
  movedByTarget,
  claimRunningRelocations,
  releaseRelocationClaim,
} from "./repos/relocations.ts";
export type {
  RelocationRow,
  RelocationItemRow,
  NewRelocation,
  BatchMove,
  RelocationListRow,
  RelocationItemListRow,
} from "./repos/relocations.ts";
export { latestIdenticalRelocation } from "./repos/identical-relocation.ts";
export type { RelocationRequestKey } from "./repos/identical-relocation.ts";
export {
  findReceiptEndpoint,
  insertReceiptEndpoint,
  setReceiptEndpointUrl,
  deleteReceiptEndpoint,
  listUnsealedReceiptSecrets,
  replaceReceiptSecret,
  listSenderReceipts,
  claimDueReceipts,
  recordReceiptPush,
  releaseReceiptClaims,
} from "./repos/sender-receipts.ts";
export type { SenderReceiptRow, ClaimedReceipt } from "./repos/sender-receipts.ts";
