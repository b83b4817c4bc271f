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

/** `GET …/events`: a page, of one type and/or one system when asked. */
export const EventQuery = PageQuery.extend({ type: z.string().optional(), recipientSystemId: z.string().optional() });

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
