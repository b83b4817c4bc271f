import { afterDelivered, afterReceipt, isFetched, isSameReceipt, PULL_LEASE_MS } from "@postvej/core/lifecycle";
import { kickReceipts } from "../delivery/kick.ts";
import {
  appendEvents,
  appendEventsOnce,
  findMessageMeta,
  findPullBody,
  inTransaction,
  insertAttempts,
  leaseForPull,
  listPullWaiting,
  markPullReceipted,
  writeSystemClocks,
  endEpisodeIfNothingFails,
  type Database,
} from "@postvej/db";
import { PageQuery, pageOf, PullMessage, ReceiptAnswer, ReceiptRequest, UuidParam } from "@postvej/contract";
import { Hono, type Context } from "hono";
import type { Kysely } from "kysely";
import type { AppEnv } from "../app-env.ts";
import { cursorScope, decodeCursorParam, keysetPage } from "../cursor.ts";
import { bodyForSystem, convertedEvent } from "../delivery/memo-for-system.ts";
import { ApiError, notFound } from "../errors.ts";
import { readStoredBody } from "../services/body-codec.ts";
import { doc, noQuery, valid } from "../validate.ts";

const PULL_CLAIM = "pull";

/** The pull protocol: a recipient key's system lists, fetches and receipts its post. */
export const recipientRoutes = new Hono<AppEnv>()
  .get(
    "/v1/recipient/messages",
    doc({
      operationId: "listPullMessages",
      summary: "Waiting messages for this pull system (fetched ones reappear after their lease; none while it is deactivated)",
      tags: ["pull"],
      responses: { 200: { description: "the waiting list", schema: pageOf(PullMessage) } },
      problems: { 404: "not a recipient key" },
    }),
    valid("query", PageQuery),
    async (c) => {
      const systemId = pullSystem(c);
      const { db, wallClock } = c.get("deps");
      const leaseNow = new Date((wallClock ?? Date.now)()).toISOString();
      const { limit, cursor } = c.req.valid("query");
      const scope = cursorScope(c.req.path, systemId);
      const after = decodeCursorParam(cursor, ["string", "string"], scope);
      const rows = await listPullWaiting(db, systemId, { leaseNow, limit: limit + 1, ...(after ? { after } : {}) });
      const { page, nextCursor } = keysetPage(rows, limit, (last) => [last.received_at, last.uuid], scope);
      return c.json({
        items: page.map((m) => ({
          messageUUID: m.uuid,
          label: m.label,
          senderId: m.sender_id,
          receivedAt: m.received_at,
          contactPointId: m.route_contact_point_id,
          sizeBytes: m.size_bytes,
          memoVersion: m.memo_version,
        })),
        nextCursor,
      });
    },
  )
  .get(
    "/v1/recipient/messages/:uuid",
    doc({
      operationId: "fetchPullMessage",
      summary: "Fetch one message's MeMo XML (leases it until a receipt or the lease ends)",
      tags: ["pull"],
      responses: {
        200: {
          description: "the MeMo bytes, in the MeMo version the system chose (converted when the message's differs)",
          contentType: "application/xml",
        },
      },
      problems: { 404: "not waiting for this system (or the system is deactivated), or not a recipient key" },
    }),
    valid("param", UuidParam),
    noQuery(),
    async (c) => {
      const systemId = pullSystem(c);
      const { db, wallClock } = c.get("deps");
      const wall = (wallClock ?? Date.now)();
      const uuid = c.req.valid("param").uuid.toLowerCase();
      // The body is read (and converted) before the lease: a fetch that cannot answer it leaves the message waiting, unfetched.
      const found = await findPullBody(db, uuid, systemId);
      if (!found) throw notFound(`message ${uuid}`);
      // The system receives the MeMo version it chose; the first conversion for it is recorded with the lease.
      const body = await readStoredBody(c.get("deps").bodyCodec, uuid, found.stored);
      const sent = bodyForSystem(body, found.memoVersion, found.systemMemoVersion);
      const at = sent.conversion ? (await c.get("deps").clock.now()).toISOString() : undefined;
      await inTransaction(db, async (tx) => {
        const leased = await leaseForPull(tx, uuid, systemId, {
          token: PULL_CLAIM,
          leaseUntil: new Date(wall + PULL_LEASE_MS).toISOString(),
        });
        if (!leased) throw notFound(`message ${uuid}`);
        if (sent.conversion && at) {
          await appendEventsOnce(tx, [
            convertedEvent(sent.conversion, { authorityCvr: found.authorityCvr, messageUuid: uuid, systemId, at }),
          ]);
        }
      });
      return c.body(sent.bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/xml", "webhook-id": uuid });
    },
  )
  .post(
    "/v1/recipient/messages/:uuid/receipt",
    doc({
      operationId: "receiptPullMessage",
      summary: "Receipt a message: RECEIVED/COMPLETED deliver it; INVALID/NOT_ALLOWED record the system's refusal (never retried)",
      tags: ["pull"],
      responses: { 200: { description: "recorded", schema: ReceiptAnswer } },
      problems: {
        404: "not fetched by this system, or not a recipient key",
        409: "`already_receipted`: another receipt (another status, or another errorCode or errorMessage) is on record",
      },
    }),
    valid("param", UuidParam),
    valid("json", ReceiptRequest),
    async (c) => {
      const systemId = pullSystem(c);
      const { db, clock } = c.get("deps");
      const uuid = c.req.valid("param").uuid.toLowerCase();
      const receipt = c.req.valid("json");
      const result = await recordReceipt(db, systemId, uuid, receipt, await clock.now());
      kickReceipts(c);
      return c.json({
        messageUUID: uuid,
        state: "delivered",
        receipt: { status: result.status, error: result.error },
        deliveredAt: result.deliveredAt,
      });
    },
  );

/** The 409's detail: the receipt on record, so the system sees what it conflicts with. */
function alreadyReceipted(uuid: string, status: string | null, error: string | null): string {
  const recorded = error ? `${status} (${error})` : `${status}`;
  return `message ${uuid} was receipted ${recorded} already; only that same receipt may be sent again`;
}

/** The 404 of a receipt for a message this system was not handed: unknown, another system's, or not fetched (the same answer for each). */
function notFetched(uuid: string): ApiError {
  return new ApiError(404, "not_found", `message ${uuid} was not fetched by this system: list, fetch, then receipt`);
}

function pullSystem(c: Context<AppEnv>): string {
  const p = c.get("principal");
  if (p.kind !== "api_key" || p.role !== "recipient" || !p.recipientSystemId) throw notFound("the resource");
  return p.recipientSystemId;
}

/** Records a pull receipt as the system's answer (the lifecycle's `afterReceipt`); the same receipt again is a no-op, another one a conflict. */
async function recordReceipt(db: Kysely<Database>, systemId: string, uuid: string, receipt: ReceiptRequest, now: Date) {
  return inTransaction(db, async (tx) => {
    const m = await findMessageMeta(tx, uuid);
    if (!m || m.custodian_system_id !== systemId) throw notFetched(uuid);
    if (m.state === "delivered") {
      if (isSameReceipt({ status: m.receipt_status, error: m.receipt_error }, receipt)) {
        return { status: receipt.status, error: m.receipt_error, deliveredAt: m.delivered_at };
      }
      throw new ApiError(409, "already_receipted", alreadyReceipted(uuid, m.receipt_status, m.receipt_error));
    }
    // A receipt answers a fetch: a message never handed to this system (not fetched since it came here) takes none.
    if (m.state !== "queued" || !isFetched({ claimedUntil: m.claimed_until })) throw notFetched(uuid);
    const t = afterReceipt({ attemptCount: m.attempt_count }, receipt, now);
    await markPullReceipted(tx, uuid, t.next);
    await insertAttempts(tx, [{ ...t.attempt, messageUuid: uuid, recipientSystemId: systemId }]);
    // Any receipt is an answer from a living system: it resets the silence clock.
    await writeSystemClocks(tx, systemId, afterDelivered(now));
    await endEpisodeIfNothingFails(tx, systemId);
    const at = t.next.deliveredAt;
    await appendEvents(tx, [
      {
        authorityCvr: m.authority_cvr,
        at,
        type: t.event,
        messageUuid: uuid,
        recipientSystemId: systemId,
        data: { receipt: receipt.status, ...(t.error ? { error: t.error } : {}) },
      },
    ]);
    return { status: receipt.status, error: t.error, deliveredAt: at };
  });
}
