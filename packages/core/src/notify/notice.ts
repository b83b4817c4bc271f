/** What every notice says about the authority; `portalUrl` is the only link an e-mail may carry. */
interface NoticeBase {
  authorityName: string;
  authorityCvr: string;
  portalUrl?: string;
}

/** Day-2 or day-5 warning: messages to a recipient system are still undelivered. */
export interface WarningNotice extends NoticeBase {
  template: "warning_day2" | "warning_day5";
  systemName: string;
  undeliveredCount: number;
  /** ISO 8601: the first failed attempt of the oldest undelivered message. */
  oldestFailedAt: string;
  /** ISO 8601: when the system will be deactivated if nothing gets through (day 7). */
  deactivationAt: string;
}

/** Where a deactivated system's undelivered post went. */
export type DeactivationDestination = { kind: "primary"; systemName: string } | { kind: "virk" };

/** A recipient system was deactivated automatically and its post moved on. */
export interface DeactivatedNotice extends NoticeBase {
  template: "deactivated";
  systemName: string;
  movedCount: number;
  destination: DeactivationDestination;
}

/** Digest (at most hourly): post landed in the authority's Virk mailbox. */
export interface VirkDigestNotice extends NoticeBase {
  template: "virk_digest";
  count: number;
  /** ISO 8601 start and end of the period the digest covers. */
  since: string;
  until: string;
}

/** One line of a relocation receipt: how many messages went to which contact point. */
export interface RelocationTarget {
  contactPointName: string;
  systemName: string;
  count: number;
}

/** Receipt for a move of post out of Virk (flytning af post). */
export interface RelocationReceiptNotice extends NoticeBase {
  template: "relocation_receipt";
  relocationId: string;
  actorName: string;
  state: "finished" | "stopped";
  moved: number;
  skipped: number;
  targets: RelocationTarget[];
}

/** Everything `renderEmail` can render, discriminated on `template`. */
export type Notice = WarningNotice | DeactivatedNotice | VirkDigestNotice | RelocationReceiptNotice;

/** A rendered e-mail: Danish first, English alongside. */
export interface RenderedEmail {
  subject: string;
  text: string;
}
