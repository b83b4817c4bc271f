import type {
  AuthorityStatus,
  Capability,
  Event,
  Relocation,
  RelocationItem,
  RelocationTarget,
  TestDeliveryResult,
  VirkMessage,
} from "../src/shared/api-types.ts";

/** The fixture server's clock: a Friday morning in Copenhagen. */
export const NOW = "2026-11-27T09:00:00.000Z";
export const CVR = "29189846";
const DAY = 86_400_000;
const at = (offsetMs: number) => new Date(Date.parse(NOW) + offsetMs).toISOString();

/** Three systems: a healthy primary, one on day 3 of a failure episode, one deactivated. */
export function makeStatus(): AuthorityStatus {
  const start = Date.parse(NOW) - 3 * DAY - 2 * 3_600_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    authority: { cvr: CVR, name: "Testkommune" },
    now: NOW,
    virkCount: 0,
    systems: [
      {
        id: "rs_primary",
        name: "Sag og Dokument",
        protocol: "REST_PUSH",
        endpointHost: "esdh.testkommune.dk",
        state: "active",
        primary: true,
        deactivatedAt: null,
        deactivationReason: null,
        lastDeliveredAt: at(-600_000),
        failingSince: null,
        oldestUndeliveredAt: null,
        undelivered: 0,
        episode: null,
        nextStep: null,
        lastFailure: null,
      },
      {
        id: "rs_failing",
        name: "Byggesag Nord",
        protocol: "REST_PUSH",
        endpointHost: "byg.example.net",
        state: "active",
        primary: false,
        deactivatedAt: null,
        deactivationReason: null,
        lastDeliveredAt: iso(start - DAY),
        failingSince: iso(start),
        oldestUndeliveredAt: iso(start),
        undelivered: 14,
        episode: {
          startedAt: iso(start),
          day2At: iso(start + 2 * DAY),
          day5At: iso(start + 5 * DAY),
          day7At: iso(start + 7 * DAY),
          warnedDay2At: iso(start + 2 * DAY + 60_000),
          warnedDay5At: null,
        },
        nextStep: { kind: "warning_day5", at: iso(start + 5 * DAY) },
        lastFailure: {
          at: at(-60_000),
          statusCode: 503,
          error: "http_503",
          durationMs: 120,
          messageUUID: "5b0f8f2e-3c1a-4d2b-9e8f-7a6b5c4d3e2f",
        },
      },
      {
        id: "rs_pull",
        name: "Gammelt arkiv",
        protocol: "REST_PULL",
        endpointHost: null,
        state: "deactivated",
        primary: false,
        deactivatedAt: at(-2 * DAY),
        deactivationReason: "automatic",
        lastDeliveredAt: at(-9 * DAY),
        failingSince: null,
        oldestUndeliveredAt: null,
        undelivered: 0,
        episode: null,
        nextStep: null,
        lastFailure: null,
      },
    ],
  };
}

/** The automatic deactivation of "Gammelt arkiv", which moved its 3 waiting messages to the primary (not in the log unless a test adds it). */
export function makeDeactivationEvents(): Event[] {
  return [
    {
      id: 1,
      at: at(-2 * DAY),
      type: "system_deactivated",
      messageUUID: null,
      recipientSystemId: "rs_pull",
      data: { reason: "automatic", moved: 3, destination: { kind: "primary", systemId: "rs_primary", systemName: "Sag og Dokument" } },
    },
  ];
}

/** What `POST …/test` answers: the receiver said 503. */
export function makeTestResult(): TestDeliveryResult {
  return { outcome: "failed", statusCode: 503, error: "http_503", durationMs: 42, messageUUID: "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f" };
}

/** Contact points: two valid targets and two that must not be offered. */
export function makeTargets(): RelocationTarget[] {
  return [
    {
      contactPointId: "7a1e7c2e-0b7e-4c55-9d1e-3f0f1f5a0001",
      name: "Borgerservice",
      recipientSystemId: "rs_primary",
      recipientSystemName: "Sag og Dokument",
      eligible: true,
      reason: null,
    },
    {
      contactPointId: "7a1e7c2e-0b7e-4c55-9d1e-3f0f1f5a0002",
      name: "Byggeri",
      recipientSystemId: "rs_failing",
      recipientSystemName: "Byggesag Nord",
      eligible: true,
      reason: null,
    },
    {
      contactPointId: "7a1e7c2e-0b7e-4c55-9d1e-3f0f1f5a0003",
      name: "Intern revision",
      recipientSystemId: "rs_primary",
      recipientSystemName: "Sag og Dokument",
      eligible: false,
      reason: "invisible",
    },
    {
      contactPointId: "7a1e7c2e-0b7e-4c55-9d1e-3f0f1f5a0004",
      name: "Arkivet",
      recipientSystemId: "rs_pull",
      recipientSystemName: "Gammelt arkiv",
      eligible: false,
      reason: "system_deactivated",
    },
  ];
}

/** `n` Virk messages, newest first, spread over 40 days, half originally for "Byggeri". */
export function makeVirk(n: number): VirkMessage[] {
  const out: VirkMessage[] = [];
  for (let i = 0; i < n; i++) {
    const hex = i.toString(16).padStart(12, "0");
    const byg = i % 2 === 0;
    out.push({
      messageUUID: `0d6f3a4e-1c2b-4d3e-8f9a-${hex}`,
      label: `Brev ${i + 1}`,
      senderId: i % 3 === 0 ? "12345674" : "87654321",
      senderLabel: i % 3 === 0 ? "Skattestyrelsen" : null,
      receivedAt: at(-Math.floor((i * 40 * DAY) / Math.max(n, 1)) - 3_600_000),
      landedAt: at(-Math.floor((i * 40 * DAY) / Math.max(n, 1)) - 3_000_000),
      originalContactPointId: byg ? "7a1e7c2e-0b7e-4c55-9d1e-3f0f1f5a0002" : null,
      originalContactPointName: byg ? "Byggeri" : null,
      reason: byg ? "system_deactivated" : "primary_deactivated",
    });
  }
  return out;
}

/** Mutable state of one fixture server. */
export interface FixtureState {
  status: AuthorityStatus;
  targets: RelocationTarget[];
  virk: VirkMessage[];
  /** The event log, newest first, empty at start (`GET …/events` filters it by `type` and `recipientSystemId`). */
  events: Event[];
  /** The answer to a test delivery. */
  testResult: TestDeliveryResult;
  relocations: (Relocation & { pending: VirkMessage[]; items: RelocationItem[] })[];
  tokens: Map<string, { capabilities: Capability[]; expiresAt: string }>;
  tokenSeq: number;
  /** Every request the server saw: method, path with query, parsed JSON body. */
  log: { method: string; url: string; body: unknown; auth: string }[];
  /** How far the fixture's domain clock (status `now`) runs ahead of its wall clock (session `now`, token expiry), as the demo's does after "+1 døgn". */
  domainAheadMs?: number;
  /** How many messages a running relocation moves per poll. */
  batch: number;
  /** Whether a retry-now leaves more waiting (it then made its limit, 10,000, due). */
  retryMore?: boolean;
}
