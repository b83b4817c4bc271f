import { memoIssueKind, type MemoIssue, type MemoSummary } from "@postvej/core/memo";
import { sha256Hex } from "@postvej/core/ids";
import { routeMessage, type RouteDecision } from "@postvej/core/routing";
import { applyValueDate } from "@postvej/core/value-date";
import {
  contactPointLimitIssues,
  headerIssues,
  recipientIssue,
  unknownAuthorityIssue,
  type ContactPointLimits,
} from "@postvej/core/intake";
import { enterQueue } from "@postvej/core/lifecycle";
import { findMessageMeta, NOT_YET_DELIVERED, type MessageMeta, type MessagesTable, type NewEvent } from "@postvej/db";
import type { Kysely } from "kysely";
import type { Database } from "@postvej/db";
import { ApiError, type ProblemIssue } from "../errors.ts";
import { bodyToStore, type BodyCodec } from "./body-codec.ts";
import { messageAnswer } from "../views/message-json.ts";
import { directStore, type MessageStore } from "./intake-writer.ts";
import { checkMemo, type MemoChecker } from "./memo-check.ts";
import type { RoutingSnapshot, RoutingSnapshots } from "./routing-snapshot.ts";

const HEADER = "/Message/MessageHeader";

/** What a sender submitted. */
export type Submission = {
  bytes: Uint8Array;
  senderKeyId: string;
  senderAuthorityCvr: string;
  queryUuid: string | undefined;
  /** The runtime's routing snapshots (see runtime.ts). */
  routing: RoutingSnapshots;
  hashBytes?: (bytes: Uint8Array) => string | Promise<string>;
  checkMemo?: MemoChecker;
  /** Set when bodies are stored deflated (see services/body-codec.ts, `intakeDeflate`). */
  deflate?: BodyCodec["deflate"];
  /** Where the accepted message is written (the Node server groups concurrent ones into one commit). */
  store?: MessageStore;
};

/** What intake answers, and the system the message is now due to be pushed to (a delivery run should start), if any. */
export type Accepted = { status: 200 | 202; body: ReturnType<typeof messageAnswer>; pushTo: string | null };

/**
 * Accepts one MeMo message: validates it, applies the authority's rules, routes it, and stores
 * it with its events in one transaction. Every problem is reported at once; nothing is stored
 * for a rejected message. The same bytes again answer 200 with the stored answer.
 */
export async function acceptMessage(db: Kysely<Database>, s: Submission, now: Date): Promise<Accepted> {
  const reader: MemoChecker = s.checkMemo ?? checkMemo;
  // A reader on another thread deflates there too when bodies are stored deflated.
  const read = await reader(s.bytes, s.deflate ? { deflate: true } : undefined);
  // A reader on another thread was lent the bytes and hands them back with its answer.
  const bytes = read.bytes ?? s.bytes;
  if (!read.ok) {
    // Problems of the XML itself (not well-formed, DTDs, limits) are 400; schema and business rules 422.
    const wellFormed = !read.issues.some((i) => memoIssueKind(i.code) === "xml");
    throw new ApiError(wellFormed ? 422 : 400, wellFormed ? "invalid_memo" : "malformed_memo", describe(read.issues), read.issues);
  }
  const memo = read.summary;
  const issues: ProblemIssue[] = headerIssues(memo, s.queryUuid);
  const snapshot = await recipientAuthority(db, memo, s, issues);
  const valueDate = applyValueDate(memo.doNotDeliverUntilDate, now);
  if (!valueDate.ok) issues.push({ path: `${HEADER}/doNotDeliverUntilDate`, code: valueDate.code, message: valueDate.message });

  if (issues.length > 0 || !snapshot || !valueDate.ok) throw new ApiError(422, "invalid_memo", describe(issues), issues);
  // A snapshot exists only for the key's own authority, the one the header names.
  const authority = memo.recipientId;
  const bodySha = read.sha256 ?? (await (s.hashBytes ?? sha256Hex)(bytes));

  const route = routeFor(snapshot, memo);
  issues.push(...contactPointLimitIssues(route.limits, bytes.length, memo));
  if (issues.length > 0) {
    const existing = await findMessageMeta(db, memo.messageUUID);
    if (existing) return replay(existing, authority, bodySha);
    throw new ApiError(422, "invalid_memo", describe(issues), issues);
  }

  const at = now.toISOString();
  const d = route.decision;
  const entry = enterQueue(d.custodian.kind === "virk" ? "virk" : route.push ? "push" : "pull", now, valueDate.releaseAt ?? null);
  const releaseAt = valueDate.releaseAt?.toISOString() ?? null;
  // Stored deflated or as received; the hash, the size and every answer are the received bytes'.
  const stored = await bodyToStore(bytes, read.deflated, s.deflate);
  const row: MessagesTable = {
    uuid: memo.messageUUID,
    authority_cvr: authority,
    sender_key_id: s.senderKeyId,
    sender_id: memo.senderId,
    sender_label: memo.senderLabel ?? "",
    label: memo.label,
    memo_version: memo.version,
    body: stored.body,
    body_encoding: stored.encoding,
    body_sha256: bodySha,
    size_bytes: bytes.length,
    attachment_count: memo.attachmentCount,
    original_contact_point_id: memo.contactPointId,
    route_reason: d.reason,
    route_contact_point_id: d.contactPointId,
    custodian_kind: d.custodian.kind,
    custodian_system_id: d.custodian.kind === "virk" ? null : d.custodian.recipientSystemId,
    state: entry.state,
    received_at: at,
    release_at: releaseAt,
    queued_at: entry.queuedAt,
    next_attempt_at: entry.nextAttemptAt,
    ...NOT_YET_DELIVERED,
  };
  const events: NewEvent[] = [
    {
      authorityCvr: authority,
      at,
      type: "received",
      messageUuid: row.uuid,
      data: { senderId: memo.senderId, sizeBytes: row.size_bytes, memoVersion: memo.version },
    },
    {
      authorityCvr: authority,
      at,
      type: "routed",
      messageUuid: row.uuid,
      recipientSystemId: row.custodian_system_id,
      data: { reason: d.reason, steps: d.steps, contactPointId: d.contactPointId, custodian: d.custodian.kind },
    },
  ];
  for (const type of entry.events) {
    events.push({ authorityCvr: authority, at, type, messageUuid: row.uuid, data: type === "held" ? { releaseAt } : { reason: d.reason } });
  }

  // Known UUIDs are rare, so the insert itself is the idempotency check; the stored one answers.
  if (!(await (s.store ?? directStore(db))(row, events))) {
    const existing = await findMessageMeta(db, memo.messageUUID);
    if (!existing) throw new Error(`message ${memo.messageUUID} was neither stored nor found`);
    return replay(existing, authority, bodySha);
  }
  return { status: 202, body: messageAnswer(row), pushTo: entry.push ? row.custodian_system_id : null };
}

async function recipientAuthority(
  db: Kysely<Database>,
  memo: MemoSummary,
  s: Submission,
  issues: ProblemIssue[],
): Promise<RoutingSnapshot | null> {
  const notCvr = recipientIssue(memo);
  if (notCvr) {
    issues.push(notCvr);
    return null;
  }
  // A sender key acts for one authority; another authority looks exactly like an unknown one.
  const snapshot = memo.recipientId === s.senderAuthorityCvr ? await s.routing.get(memo.recipientId) : null;
  if (!snapshot) {
    issues.push(unknownAuthorityIssue(memo));
    return null;
  }
  return snapshot;
}

type Limits = ContactPointLimits | null;

function routeFor(snapshot: RoutingSnapshot, memo: MemoSummary): { decision: RouteDecision; limits: Limits; push: boolean } {
  const cp = memo.contactPointId ? snapshot.contactPoints.get(memo.contactPointId) : undefined;
  const decision = routeMessage({
    requestedContactPointId: memo.contactPointId,
    contactPoint: cp ? { id: cp.id, active: cp.active === 1, recipientSystemId: cp.recipient_system_id } : null,
    systems: snapshot.systems.map((x) => ({ id: x.id, state: x.state, primary: x.is_primary === 1 })),
  });
  const custodian = decision.custodian;
  const system = custodian.kind === "recipient_system" ? snapshot.systems.find((x) => x.id === custodian.recipientSystemId) : undefined;
  return {
    decision,
    limits: cp ? { maxSizeMb: cp.max_size_mb, maxAttachments: cp.max_attachments } : null,
    push: system?.protocol === "REST_PUSH",
  };
}

function replay(existing: MessageMeta, authority: string, bodySha: string): Accepted {
  if (existing.body_sha256 !== bodySha || existing.authority_cvr !== authority) {
    throw new ApiError(409, "message_uuid_conflict", `a different message with messageUUID ${existing.uuid} was received already`);
  }
  return { status: 200, body: messageAnswer(existing), pushTo: null };
}

function describe(issues: readonly (MemoIssue | ProblemIssue)[]): string {
  const first = issues[0];
  if (!first) return "the message was refused";
  return issues.length === 1 ? first.message : `${first.message} (and ${issues.length - 1} more problems)`;
}
