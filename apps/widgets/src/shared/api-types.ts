/** Shapes of the postvej API responses the panels read (see the widgets brief / api.md). */

export type Capability = "view" | "relocate" | "reactivate";

export interface Session {
  kind: "portal";
  authorityCvr: string;
  capabilities: Capability[];
  user: { name: string };
  expiresAt: string;
  /** The server's clock when it answered (older servers leave it out). */
  now?: string;
}

export type NextStepKind = "warning_day2" | "warning_day5" | "deactivation";

export interface Episode {
  startedAt: string;
  day2At: string;
  day5At: string;
  day7At: string;
  warnedDay2At: string | null;
  warnedDay5At: string | null;
}

export interface SystemStatus {
  id: string;
  name: string;
  protocol: "REST_PUSH" | "REST_PULL";
  endpointHost: string | null;
  state: "active" | "deactivated";
  primary: boolean;
  deactivatedAt: string | null;
  deactivationReason: "automatic" | "manual" | null;
  lastDeliveredAt: string | null;
  failingSince: string | null;
  oldestUndeliveredAt: string | null;
  undelivered: number;
  episode: Episode | null;
  nextStep: { kind: NextStepKind; at: string } | null;
}

export interface AuthorityStatus {
  authority: { cvr: string; name: string };
  now: string;
  virkCount: number;
  systems: SystemStatus[];
}

export interface TestDeliveryResult {
  outcome: "delivered" | "failed";
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface VirkMessage {
  messageUUID: string;
  label: string;
  senderId: string;
  senderLabel: string | null;
  receivedAt: string;
  landedAt: string;
  originalContactPointId: string | null;
  originalContactPointName: string | null;
  reason: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface VirkPage extends Page<VirkMessage> {
  total: number;
}

export type IneligibleReason = "invisible" | "inactive" | "system_deactivated";

export interface RelocationTarget {
  contactPointId: string;
  name: string;
  recipientSystemId: string;
  recipientSystemName: string;
  eligible: boolean;
  reason: IneligibleReason | null;
}

/** What to move: explicit UUIDs, or a filter (with `all` when the filter is empty). */
export interface Selection {
  messageUUIDs?: string[];
  receivedFrom?: string;
  receivedTo?: string;
  originalContactPointId?: string;
  senderId?: string;
  all?: boolean;
}

export interface RelocationRequest {
  selection: Selection;
  targetContactPointId: string;
  preferOriginal: boolean;
  dryRun: boolean;
}

export interface DryRunPlan {
  dryRun: true;
  total: number;
  moves: {
    contactPointId: string;
    contactPointName: string;
    recipientSystemId: string;
    recipientSystemName: string;
    count: number;
  }[];
  skipped: { messageUUID: string; reason: string }[];
}

export type RelocationState = "running" | "finished" | "stopped";

export interface RelocationStarted {
  id: string;
  state: RelocationState;
  total: number;
  moved: number;
  skipped: number;
}

export interface Relocation extends RelocationStarted {
  actor: { kind: string; name: string };
  createdAt: string;
  selection: Selection;
  targetContactPointId: string;
  targetContactPointName: string;
  preferOriginal: boolean;
  finishedAt: string | null;
}

export interface RelocationItem {
  messageUUID: string;
  label: string;
  senderId: string;
  receivedAt: string;
  fromContactPointId: string | null;
  toContactPointId: string | null;
  toContactPointName: string | null;
  toRecipientSystemId: string | null;
  outcome: "moved" | "skipped" | "pending";
  reason: string | null;
  at: string | null;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
}
