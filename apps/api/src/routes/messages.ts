import { recall } from "@postvej/core/lifecycle";
import { appendEvents, findMessageMeta, inTransaction, recallHeldMessage } from "@postvej/db";
import { IntakeQuery, Message, MessageDetail, problemWith, RecalledMessage, Redelivery, UuidParam } from "@postvej/contract";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import type { Principal } from "../auth.ts";
import { ApiError, notFound } from "../errors.ts";
import { readBodyWithin } from "../read-body.ts";
import { intakeDeflate } from "../services/body-codec.ts";
import { IntakeBusy } from "../services/byte-budget.ts";
import { acceptMessage, type Accepted } from "../services/intake.ts";
import { doc, noBody, noQuery, valid } from "../validate.ts";
import { messageAnswer } from "../views/message-json.ts";
import { messageDetail } from "../views/message-detail-json.ts";
import { kickDeliveries, kickReceipts } from "../delivery/kick.ts";
import { redeliverNow } from "../delivery/manual-delivery.ts";

/** Intake, reading and recall of messages (sender keys; the recipient authority's admin reads). */
export const messageRoutes = new Hono<AppEnv>()
  .post(
    "/v1/messages",
    doc({
      operationId: "submitMessage",
      summary: "Submit a MeMo message (application/xml) addressed to an authority",
      tags: ["messages"],
      requestBody: { contentType: "application/xml", description: "a MeMo 1.1 or 1.2 document" },
      responses: {
        202: { description: "accepted and routed", schema: Message },
        200: { description: "the same bytes were received before", schema: Message },
        408: {
          description:
            "`request_timeout`: the body paused longer than the idle timeout or took longer than the body deadline (the connection is closed)",
          contentType: "application/problem+json",
          schema: problemWith("request_timeout"),
        },
        413: {
          description: "`payload_too_large`: the body is larger than the limit",
          contentType: "application/problem+json",
          schema: problemWith("payload_too_large"),
        },
        415: {
          description:
            "`unsupported_media_type`: not application/xml; `unsupported_content_encoding`: a Content-Encoding other than identity (postvej takes uncompressed bodies)",
          contentType: "application/problem+json",
          schema: problemWith("unsupported_media_type", "unsupported_content_encoding"),
        },
        503: {
          description: "`intake_busy`: no room in the intake byte budget right now (Retry-After says when to try again)",
          contentType: "application/problem+json",
          schema: problemWith("intake_busy"),
        },
      },
      problems: {
        400: "`incomplete_body`: the body ended before it was complete",
        404: "not a sender or admin key",
        409: "`message_uuid_conflict`: a different message with this messageUUID was received already",
        422: "`invalid_memo`: the document is not a MeMo message postvej can route; `issues` names each problem",
      },
    }),
    valid("query", IntakeQuery),
    async (c) => {
      const p = c.get("principal");
      if (p.kind !== "api_key" || (p.role !== "sender" && p.role !== "admin")) throw notFound("the resource");
      const type = c.req.header("content-type") ?? "";
      if (!/^(application|text)\/xml\b/i.test(type)) {
        throw new ApiError(415, "unsupported_media_type", "send the MeMo document as application/xml");
      }
      // A compressed body would be stored as if it were the document itself; say so before reading it.
      const encoding = c.req.header("content-encoding");
      if (encoding !== undefined && !/^\s*(identity\s*)?$/i.test(encoding)) {
        throw new ApiError(
          415,
          "unsupported_content_encoding",
          `postvej takes the MeMo document uncompressed: send it without Content-Encoding (got "${encoding}")`,
        );
      }
      const { db, clock, hashBytes, checkMemo, storeMessage, config, routing, intakeBudget } = c.get("deps");
      // Memory stays bounded under many large messages at once, and slow senders cannot hoard it: a
      // body holds intake budget as its bytes arrive (read-body.ts, services/byte-budget.ts), one key
      // at most its share, within the read deadlines; every byte is given back whatever happens.
      const hold = intakeBudget.hold(p.keyId);
      let result: Accepted;
      try {
        let bytes: Uint8Array;
        try {
          bytes = await readBodyWithin(c.req, {
            maxBytes: config.maxBodyBytes,
            idleTimeoutMs: config.bodyIdleTimeoutMs,
            timeoutMs: config.bodyTimeoutMs,
            hold,
          });
        } catch (err) {
          // The rest of the body stays unread: the answer closes the connection.
          c.header("connection", "close");
          if (err instanceof IntakeBusy) return intakeBusy(c);
          throw err;
        }
        result = await acceptMessage(
          db,
          {
            bytes,
            senderKeyId: p.keyId,
            senderAuthorityCvr: p.authorityCvr,
            queryUuid: c.req.valid("query")["memo-message-uuid"],
            routing,
            store: storeMessage,
            ...(hashBytes ? { hashBytes } : {}),
            ...(checkMemo ? { checkMemo } : {}),
            ...intakeDeflate(c.get("deps")),
          },
          await clock.now(),
        );
      } finally {
        hold.release();
      }
      if (result.pushTo) kickDeliveries(c, result.pushTo);
      return c.json(result.body, result.status);
    },
  )
  .get(
    "/v1/messages/:uuid",
    doc({
      operationId: "getMessage",
      summary: "A message's state, custodian, route, attempts and events",
      tags: ["messages"],
      responses: { 200: { description: "the message", schema: MessageDetail } },
      problems: { 404: "no such message, or not this key's to read" },
    }),
    valid("param", UuidParam),
    noQuery(),
    async (c) => {
      const { db } = c.get("deps");
      const m = await readable(c.get("principal"), db, c.req.valid("param").uuid);
      return c.json(await messageDetail(db, m));
    },
  )
  .post(
    "/v1/messages/:uuid/recall",
    doc({
      operationId: "recallMessage",
      summary: "Recall a held message (its sender, until the value date releases it)",
      tags: ["messages"],
      responses: { 200: { description: "recalled", schema: RecalledMessage } },
      problems: { 404: "no such message, or not this key's to recall", 409: "`not_recallable`: the message is no longer held" },
    }),
    valid("param", UuidParam),
    noBody(),
    async (c) => {
      const p = c.get("principal");
      const { db, clock } = c.get("deps");
      const m = await readable(p, db, c.req.valid("param").uuid);
      if (p.kind !== "api_key" || m.sender_key_id !== p.keyId) throw notFound(`message ${m.uuid}`);
      const t = recall(await clock.now());
      const at = t.next.recalledAt;
      const recalled = await inTransaction(db, async (tx) => {
        if (!(await recallHeldMessage(tx, m.uuid, t))) return false;
        await appendEvents(tx, [{ authorityCvr: m.authority_cvr, at, type: t.event, messageUuid: m.uuid, data: { by: p.label } }]);
        return true;
      });
      if (!recalled) throw new ApiError(409, "not_recallable", `message ${m.uuid} is ${m.state}; only a held message can be recalled`);
      kickReceipts(c);
      return c.json({ ...messageAnswer({ ...m, state: t.next.state }), recalledAt: at });
    },
  )
  .post(
    "/v1/messages/:uuid/redeliver",
    doc({
      operationId: "redeliverMessage",
      summary:
        "Deliver a queued or delivered message again now to its current recipient system (an admin key of its authority); the same answer for a minute after, without pushing again",
      tags: ["messages"],
      responses: {
        202: {
          description: "redelivery under way: a push system's push is due now, a pull system's message is back in its waiting list",
          schema: Redelivery,
        },
        200: {
          description: "a redelivery was asked for less than a minute ago: that one, unchanged (nothing is pushed again)",
          schema: Redelivery,
        },
      },
      problems: {
        404: "no such message, or not an admin key of its authority",
        409: "`not_redeliverable`: the message is held, in Virk or recalled (only queued and delivered post at a recipient system can be redelivered); `system_deactivated`: its recipient system is deactivated",
      },
    }),
    valid("param", UuidParam),
    noBody(),
    async (c) => {
      const p = c.get("principal");
      const { db, clock } = c.get("deps");
      const uuid = c.req.valid("param").uuid;
      const m = await findMessageMeta(db, uuid.toLowerCase());
      if (!m || p.kind !== "api_key" || p.role !== "admin" || p.authorityCvr !== m.authority_cvr) throw notFound(`message ${uuid}`);
      const r = await redeliverNow(db, m, { kind: "api_key", id: p.keyId, name: p.label }, await clock.now());
      if (r.kick) kickDeliveries(c, r.kick);
      return c.json(r.body, r.repeat ? 200 : 202);
    },
  );

/**
 * 503 `intake_busy` with Retry-After, as problem+json. Built here rather than thrown: it is an
 * expected answer under load, not a failure to log with its stack.
 */
function intakeBusy(c: Context<AppEnv>): Response {
  const body = {
    type: "https://postvej.dk/problems/intake_busy",
    title: "Service unavailable",
    status: 503,
    code: "intake_busy",
    detail: "intake is working on as many message bytes as it takes at once; try again shortly",
  };
  return c.body(JSON.stringify(body), 503, { "content-type": "application/problem+json", "retry-after": "2" });
}

/** The message when the caller may read it: its sender key, or the recipient authority's admin. */
async function readable(p: Principal, db: AppEnv["Variables"]["deps"]["db"], uuid: string) {
  const m = await findMessageMeta(db, uuid.toLowerCase());
  const ok = m && p.kind === "api_key" && (m.sender_key_id === p.keyId || (p.role === "admin" && p.authorityCvr === m.authority_cvr));
  if (!m || !ok) throw notFound(`message ${uuid}`);
  return m;
}
