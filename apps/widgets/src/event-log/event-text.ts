import type { Event, EventType } from "../shared/api-types.ts";
import { describeFailure } from "../shared/failure-reason.ts";
import { formatDateTime } from "../shared/format.ts";
import type { Messages } from "../shared/i18n/index.ts";

/** An event as the log and a message's trace both have it. */
export type LoggedEvent = Pick<Event, "at" | "type" | "recipientSystemId" | "data"> & { messageUUID?: string | null };

/** What describing an event needs besides the event: the texts, the locale, and names for ids. */
export interface EventContext {
  t: Messages;
  locale: string;
  systemName(id: string | null | undefined): string;
  contactPointName(id: string | null | undefined): string;
  /** Who ran a relocation, when known (`relocated` events name only the relocation). */
  relocationActor(id: string): string;
}

/** The context for the panel's language and the names it knows (an unknown system reads as its id). */
export function eventContext(
  t: Messages,
  systems: readonly { id: string; name: string }[],
  contactPoints: ReadonlyMap<string, string>,
  relocationActors: ReadonlyMap<string, string> = new Map(),
): EventContext {
  return {
    t,
    locale: t.locale,
    systemName: (id) => systems.find((s) => s.id === id)?.name ?? (id || t.eventLog.unknownSystem),
    contactPointName: (id) => (id ? (contactPoints.get(id) ?? id) : ""),
    relocationActor: (id) => relocationActors.get(id) ?? "",
  };
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const int = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** The human name of an event kind; an unknown one reads as itself. */
export function kindName(type: string, t: Messages): string {
  const kinds = t.eventLog.kinds as Readonly<Record<string, string | undefined>>;
  return kinds[type] ?? type;
}

/** Why a message went where it went, in words (route reasons and reroute reasons). */
function reasonText(reason: unknown, t: Messages): string {
  const reasons = t.eventLog.reasons as Readonly<Record<string, string | undefined>>;
  return reasons[str(reason)] ?? str(reason);
}

/** Where post went: a `{ kind: "primary", systemName }` or `{ kind: "virk" }` destination. */
function destinationText(d: unknown, c: EventContext): string {
  const dest = (d ?? {}) as { kind?: unknown; systemName?: unknown; systemId?: unknown };
  if (dest.kind === "primary") return str(dest.systemName) || c.systemName(str(dest.systemId));
  return c.t.eventLog.virk;
}

/** One event in a sentence, in the panel's language: every kind the log records. */
export function describeEvent(e: LoggedEvent, c: EventContext): string {
  const t = c.t.eventLog.text;
  const d = e.data;
  const system = c.systemName(e.recipientSystemId);
  const by = str(d["by"]) || t.someone;
  const when = (iso: unknown) => (typeof iso === "string" && iso ? formatDateTime(iso, c.locale) : "");
  switch (e.type as EventType) {
    case "received":
      return t.received(str(d["senderId"]) || "?", c.t.eventLog.size(int(d["sizeBytes"])), str(d["memoVersion"]) || "?");
    case "routed": {
      const to = d["custodian"] === "virk" ? c.t.eventLog.virk : system;
      return t.routed(to, reasonText(d["reason"], c.t), d["contactPointId"] ? c.contactPointName(str(d["contactPointId"])) : "");
    }
    case "held":
      return t.held(when(d["releaseAt"]));
    case "released":
      return t.released;
    case "recalled":
      return t.recalled(by);
    case "attempt_failed": {
      const pull = (c.t.eventLog.pullErrors as Readonly<Record<string, string | undefined>>)[str(d["error"])];
      if (pull) return t.pullFailed(system, pull);
      const why = describeFailure(
        {
          statusCode: d["statusCode"] === undefined ? null : (d["statusCode"] as number | null),
          error: str(d["error"]) || null,
          durationMs: int(d["durationMs"]),
        },
        c.t,
      );
      const next = when(d["nextAttemptAt"]);
      return t.attemptFailed(int(d["attempt"]), system, why, int(d["durationMs"])) + (next ? t.nextAttempt(next) : "");
    }
    case "delivered":
      return d["receipt"]
        ? t.fetched(system, str(d["receipt"]))
        : t.delivered(system, int(d["attempt"]), String(d["statusCode"] ?? "?"), int(d["durationMs"]));
    case "receipt_rejected":
      return t.receiptRejected(system, str(d["receipt"]), str(d["error"]));
    case "rerouted":
      return t.rerouted(
        c.systemName(str(d["from"])),
        destinationText(d["to"], c),
        c.t.eventLog.rerouteReasons[d["reason"] === "failed_seven_days" ? "failed_seven_days" : "system_deactivated"],
      );
    case "landed_in_virk":
      return t.landedInVirk;
    case "system_warned":
      return t.warned(system, int(d["day"]), int(d["undelivered"]));
    case "system_deactivated": {
      const reason = d["reason"] === "manual" ? t.deactivationReason.manual : t.deactivationReason.automatic;
      return t.deactivated(system, reason, int(d["moved"]), destinationText(d["destination"], c));
    }
    case "system_reactivated":
      return t.reactivated(system, by);
    case "primary_changed":
      return t.primaryChanged(system);
    case "api_key_created":
      return t.keyCreated(str(d["label"]), str(d["role"]), by);
    case "api_key_revoked":
      return t.keyRevoked(str(d["label"]), str(d["role"]), by);
    case "signing_secret_rotated":
      return t.secretRotated(system, by);
    case "relocation_started":
      return t.relocationStarted(int(d["total"]), by);
    case "relocated":
      return t.relocated(c.contactPointName(str(d["contactPointId"])), system, c.relocationActor(str(d["relocationId"])));
    case "relocation_finished":
      return t.relocationFinished(int(d["moved"]), int(d["skipped"]));
    case "relocation_stopped":
      return t.relocationStopped(int(d["moved"]));
    case "manual_redelivery":
      return t.redelivery(system, by);
    case "retry_now":
      return t.retryNow(system, by);
    case "converted":
      return t.converted(system, str(d["from"]), str(d["to"]), Array.isArray(d["dropped"]) ? d["dropped"].length : 0);
    default:
      return kindName(e.type, c.t);
  }
}
