import type { Generated } from "kysely";

/** Every table of postvej, as Kysely sees it. Times are ISO 8601 UTC strings; flags are 0/1. */
export interface Database {
  authorities: AuthoritiesTable;
  api_keys: ApiKeysTable;
  portal_sessions: PortalSessionsTable;
  recipient_systems: RecipientSystemsTable;
  contact_points: ContactPointsTable;
  messages: MessageRow;
  message_bodies: MessageBodiesTable;
  attempts: AttemptsTable;
  events: EventsTable;
  outbox: OutboxTable;
  relocations: RelocationsTable;
  relocation_items: RelocationItemsTable;
  settings: SettingsTable;
  receipt_endpoints: ReceiptEndpointsTable;
  sender_receipts: SenderReceiptsTable;
}

/** A tenant: one public authority, keyed by its CVR number. */
export interface AuthoritiesTable {
  cvr: string;
  name: string;
  created_at: string;
}

/**
 * An API key; only the SHA-256 of the secret is stored. Its times are the wall clock (security
 * time), never the simulated domain clock. Optional columns may be left out on insert (NULL).
 */
export interface ApiKeysTable {
  id: string;
  authority_cvr: string;
  role: "sender" | "admin" | "recipient";
  recipient_system_id: string | null;
  label: string;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
  /** After this time the key answers 401; null: it never expires. */
  expires_at?: string | null;
  /** When it was last used, to the minute (written at most about once a minute per key and process). */
  last_used_at?: string | null;
}

/** A short-lived token a host portal mints for the widgets. */
export interface PortalSessionsTable {
  id: string;
  authority_cvr: string;
  token_hash: string;
  capabilities: string; // JSON array of "view" | "relocate" | "reactivate"
  user_name: string;
  created_by_key_id: string;
  created_at: string;
  expires_at: string;
}

/** A recipient system (modtagersystem) with its two failure clocks and warning marks. */
export interface RecipientSystemsTable {
  id: string;
  authority_cvr: string;
  name: string;
  protocol: "REST_PUSH" | "REST_PULL";
  endpoint: string | null;
  /** The `whsec_…` secret pushes are signed with (sealed when POSTVEJ_SECRET_KEY is set; see apps/api/src/secret-box.ts). */
  signing_secret: string | null;
  /** The secret before the last rotation, still signed with until previous_secret_valid_until (wall clock). */
  previous_signing_secret?: string | null;
  previous_secret_valid_until?: string | null;
  technical_contact_name: string;
  technical_contact_email: string;
  technical_contact_phone: string | null;
  business_contact_email: string;
  memo_version: "1.1" | "1.2";
  is_primary: number;
  state: "active" | "deactivated";
  deactivated_at: string | null;
  deactivation_reason: "automatic" | "manual" | null;
  last_delivered_at: string | null;
  /** Silence clock: first failed attempt after the last successful delivery (null when healthy). */
  failing_since: string | null;
  /** When the current failure episode began; warnings below belong to it. */
  episode_started_at: string | null;
  warned_day2_at: string | null;
  warned_day5_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A contact point (kontaktpunkt); its id is the MeMo `contactPointID`. */
export interface ContactPointsTable {
  id: string;
  authority_cvr: string;
  name: string;
  recipient_system_id: string;
  visible: number;
  audiences: string; // JSON array of "citizens_companies" | "authorities"
  max_size_mb: number | null;
  max_attachments: number | null;
  active: number;
  created_at: string;
  updated_at: string;
}

/** Message states, as api.md names them. */
export type MessageState = "held" | "queued" | "delivered" | "in_virk" | "recalled";

/**
 * One MeMo message with its original bytes, route, custodian and delivery state, as intake stores
 * it: the bytes in `message_bodies`, the rest in `messages` (see {@link MessageRow}).
 */
export interface MessagesTable {
  uuid: string;
  authority_cvr: string;
  sender_key_id: string | null;
  sender_id: string | null;
  /** The MeMo Sender label as received; "" when it names none, null when received before it was kept. */
  sender_label: string | null;
  label: string | null;
  memo_version: string;
  /** The bytes as stored: the original ones, or deflated as `body_encoding` says. */
  body: Uint8Array;
  /** How `body` is stored; `identity` when left out. `body_sha256` and `size_bytes` are the original bytes'. */
  body_encoding?: BodyEncoding;
  body_sha256: string;
  size_bytes: number;
  attachment_count: number;
  original_contact_point_id: string | null;
  route_reason: string;
  route_contact_point_id: string | null;
  custodian_kind: "recipient_system" | "virk";
  custodian_system_id: string | null;
  state: MessageState;
  received_at: string;
  release_at: string | null;
  /** When it entered its current custodian's queue (intake, release, reroute, relocation). */
  queued_at: string | null;
  /** When the scheduler should next try it (queued push messages); indexed for due work. */
  next_attempt_at: string | null;
  attempt_count: number;
  first_failed_at: string | null;
  last_attempt_at: string | null;
  /** A claim by one scheduler run or one pull fetch, valid until this time. */
  claim_token: string | null;
  claimed_until: string | null;
  delivered_at: string | null;
  receipt_status: string | null;
  receipt_error: string | null;
  recalled_at: string | null;
}

/** One delivery attempt (push POST or pull receipt). */
export interface AttemptsTable {
  id: Generated<number>;
  message_uuid: string;
  recipient_system_id: string;
  attempt_no: number;
  at: string;
  outcome: "delivered" | "failed" | "rejected";
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** A row of `messages`: a message without its bytes, so updating its state never rewrites them. */
export type MessageRow = Omit<MessagesTable, "body" | "body_encoding">;

/** How a stored body is kept: the original bytes, or raw DEFLATE (RFC 1951) of them. */
export type BodyEncoding = "identity" | "deflate-raw";

/** A message's bytes, written once at intake, keyed by its UUID; `identity` unless written deflated. */
export interface MessageBodiesTable {
  uuid: string;
  body: Uint8Array;
  encoding: Generated<BodyEncoding>;
}

/** Append-only event log about messages and systems. */
export interface EventsTable {
  id: Generated<number>;
  authority_cvr: string;
  at: string;
  type: string;
  message_uuid: string | null;
  recipient_system_id: string | null;
  data: string; // JSON object
}

/** The e-mail outbox: queued in the same transaction as its cause. */
export interface OutboxTable {
  id: string;
  authority_cvr: string;
  recipient_system_id: string | null;
  template: string;
  lang: "da" | "en";
  to_addresses: string; // JSON array
  subject: string;
  body_text: string;
  /** Makes the same notice impossible to queue twice (e.g. `rs_x:ep:2026-…:day2`). */
  dedupe_key: string;
  queued_at: string;
  sent_at: string | null;
  attempts: number;
  next_attempt_at: string;
  claim_token: string | null;
  claimed_until: string | null;
  last_error: string | null;
}

/** A move of post out of Virk (flytning af post). */
export interface RelocationsTable {
  id: string;
  authority_cvr: string;
  actor_kind: "api_key" | "portal_user";
  actor_id: string;
  actor_name: string;
  created_at: string;
  selection: string; // JSON
  target_contact_point_id: string | null;
  prefer_original: number;
  state: "running" | "finished" | "stopped";
  total: number;
  moved: number;
  skipped: number;
  finished_at: string | null;
  claim_token: string | null;
  claimed_until: string | null;
}

/** One message's outcome in a relocation; append-only. */
export interface RelocationItemsTable {
  id: Generated<number>;
  relocation_id: string;
  message_uuid: string;
  label: string | null;
  sender_id: string | null;
  received_at: string;
  from_contact_point_id: string | null;
  to_contact_point_id: string | null;
  to_recipient_system_id: string | null;
  outcome: "pending" | "moved" | "skipped";
  reason: string | null;
  at: string | null;
}

/** Small key/value settings (the simulated clock's offset, among others). */
export interface SettingsTable {
  key: string;
  value: string;
}

/** A sender key's receipt endpoint: where its receipts are pushed, signed with its own `whsec_` secret (sealed like a push system's). */
export interface ReceiptEndpointsTable {
  sender_key_id: string;
  authority_cvr: string;
  url: string;
  signing_secret: string;
  created_at: string;
  updated_at: string;
}

/**
 * A receipt back to a message's sender key, made by a trigger with the event it reports (see the
 * migration 2026-12-01-030). `seq` orders the key's pull feed; the push columns say where its push
 * stands: due at `next_push_at` (domain time; null: not to be pushed), `pushed_at` after a 2xx,
 * `push_gave_up_at` when the retry schedule ended. The lease (`claimed_until`) is wall-clock time.
 */
export interface SenderReceiptsTable {
  seq: Generated<number>;
  id: string;
  sender_key_id: string;
  authority_cvr: string;
  message_uuid: string;
  event_id: number;
  at: string;
  push_attempts: Generated<number>;
  next_push_at: string | null;
  pushed_at: string | null;
  push_gave_up_at: string | null;
  last_push_error: string | null;
  claim_token: string | null;
  claimed_until: string | null;
}
