import { z } from "zod";
import { iso, PageQuery, Protocol } from "./shared.ts";

/** The current failure episode of a system: when it began and when each step of day 2 / 5 / 7 falls. */
export const Episode = z
  .object({ startedAt: iso, day2At: iso, day5At: iso, day7At: iso, warnedDay2At: iso.nullable(), warnedDay5At: iso.nullable() })
  .meta({ id: "Episode" });
export type Episode = z.infer<typeof Episode>;

export const NextStepKind = z.enum(["warning_day2", "warning_day5", "deactivation"]).meta({ id: "NextStepKind" });
export type NextStepKind = z.infer<typeof NextStepKind>;

/** A system's last failed attempt: when, the HTTP status (null without an HTTP answer), the stable error, how long it took, which message. */
export const LastFailure = z
  .object({
    at: iso,
    statusCode: z.number().nullable(),
    error: z.string().nullable(),
    durationMs: z.number(),
    messageUUID: z.string(),
  })
  .meta({ id: "LastFailure" });
export type LastFailure = z.infer<typeof LastFailure>;

export const SystemStatus = z
  .object({
    id: z.string(),
    name: z.string(),
    protocol: Protocol,
    endpointHost: z.string().nullable(),
    state: z.enum(["active", "deactivated"]),
    primary: z.boolean(),
    deactivatedAt: iso.nullable(),
    deactivationReason: z.enum(["automatic", "manual"]).nullable(),
    lastDeliveredAt: iso.nullable(),
    failingSince: iso.nullable(),
    oldestUndeliveredAt: iso.nullable(),
    undelivered: z.number(),
    episode: Episode.nullable(),
    nextStep: z.object({ kind: NextStepKind, at: iso }).nullable(),
    lastFailure: LastFailure.nullable().describe(
      "the system's last failed attempt, whenever it was (compare with lastDeliveredAt); null when none ever failed",
    ),
  })
  .meta({ id: "SystemStatus" });
export type SystemStatus = z.infer<typeof SystemStatus>;

export const AuthorityStatus = z
  .object({
    authority: z.object({ cvr: z.string(), name: z.string() }),
    now: iso,
    virkCount: z.number(),
    systems: z.array(SystemStatus),
  })
  .meta({ id: "AuthorityStatus" });
export type AuthorityStatus = z.infer<typeof AuthorityStatus>;

export const Event = z
  .object({
    id: z.number(),
    at: iso,
    type: z.string(),
    messageUUID: z.string().nullable(),
    recipientSystemId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "Event" });
export type Event = z.infer<typeof Event>;

/** Every kind of event the log records (core's `EVENT_TYPE`; apps/api/test/event-log-api.test.ts keeps the two the same). */
export const EventType = z
  .enum([
    "received",
    "routed",
    "held",
    "released",
    "recalled",
    "attempt_failed",
    "delivered",
    "receipt_rejected",
    "rerouted",
    "landed_in_virk",
    "system_warned",
    "system_deactivated",
    "system_reactivated",
    "primary_changed",
    "api_key_created",
    "api_key_revoked",
    "signing_secret_rotated",
    "relocation_started",
    "relocated",
    "relocation_finished",
    "relocation_stopped",
    "manual_redelivery",
    "retry_now",
    "converted",
  ])
  .meta({ id: "EventType" });
export type EventType = z.infer<typeof EventType>;

const instant = z.iso
  .datetime({ offset: true })
  .transform((v) => new Date(v).toISOString())
  .describe("ISO 8601 date-time, any offset");

/**
 * `GET …/events`: a page, newest first, narrowed by any of: one or several types (comma-separated),
 * one recipient system, one message, and a time window (`from` inclusive, `to` exclusive).
 */
export const EventQuery = PageQuery.extend({
  type: z
    .string()
    .transform((s) => [...new Set(s.split(",").map((t) => t.trim()))])
    .pipe(z.array(EventType).min(1))
    .optional()
    .describe("one event type, or several separated by commas (e.g. attempt_failed,delivered)"),
  recipientSystemId: z.string().min(1).max(100).optional(),
  messageUUID: z
    .uuid()
    .transform((s) => s.toLowerCase())
    .optional()
    .describe("only this message's events"),
  from: instant.optional().describe("events at or after this time (ISO 8601 date-time)"),
  to: instant.optional().describe("events before this time (ISO 8601 date-time)"),
}).refine((q) => !q.from || !q.to || q.from < q.to, { path: ["to"], message: "to must be later than from" });

export const Notification = z
  .object({
    id: z.string(),
    template: z.string(),
    recipientSystemId: z.string().nullable(),
    to: z.array(z.string()),
    subject: z.string(),
    lang: z.enum(["da", "en"]),
    status: z.enum(["queued", "retrying", "sent"]),
    queuedAt: iso,
    sentAt: iso.nullable(),
    attempts: z.number(),
    nextAttemptAt: iso.nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: "Notification" });
export type Notification = z.infer<typeof Notification>;
