/**
 * The postvej API's answers and requests as the panels read and send them: the types of
 * @postvej/contract (the schemas the API validates and documents with), under the widgets' names.
 * Types only: the bundle carries no zod.
 */
import type { PortalCaller, Relocation, TestDelivery } from "@postvej/contract";

export type {
  AuthorityStatus,
  Capability,
  DryRunPlan,
  Episode,
  Event,
  EventType,
  LastFailure,
  IneligibleReason,
  MessageDetail,
  MessageSummary,
  NextStepKind,
  Page,
  Problem,
  Relocation,
  RelocationItem,
  RelocationRequest,
  RelocationState,
  RelocationTarget,
  RetryNow,
  Selection,
  SystemStatus,
  VirkMessage,
  VirkPage,
} from "@postvej/contract";

/** `GET /v1/session` as a portal token sees it. */
export type Session = PortalCaller;

export type TestDeliveryResult = TestDelivery;

/** What the 202 of a started relocation tells the panel. */
export type RelocationStarted = Pick<Relocation, "id" | "state" | "total" | "moved" | "skipped">;
