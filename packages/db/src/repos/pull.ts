import type { AfterReceipt } from "@postvej/core/lifecycle";
import type { MessagesTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";
import { STORED_BODY_COLUMNS, storedBody, type StoredBody } from "./messages.ts";

/** A message in a pull system's waiting list. */
export type PullWaitingRow = Pick<
  MessagesTable,
  "uuid" | "label" | "sender_id" | "received_at" | "route_contact_point_id" | "size_bytes" | "memo_version"
>;

/**
 * A pull system's waiting messages: queued on it and not leased at `leaseNow` (wall-clock time),
 * oldest first, keyset-paged after (received_at, uuid). None while the system is deactivated (what it
 * still holds is moving on).
 */
export function listPullWaiting(
  db: Db,
  systemId: string,
  o: { leaseNow: string; limit: number; after?: readonly [string, string] },
): Promise<PullWaitingRow[]> {
  let q = db
    .selectFrom("messages")
    .select(["uuid", "label", "sender_id", "received_at", "route_contact_point_id", "size_bytes", "memo_version"])
    .where("custodian_system_id", "=", systemId)
    .where("state", "=", "queued")
    .where((e) => e.exists(activeSystem(db, systemId)))
    .where((e) => e.or([e("claimed_until", "is", null), e("claimed_until", "<", o.leaseNow)]));
  const after = o.after;
  if (after)
    q = q.where((e) => e.or([e("received_at", ">", after[0]), e.and([e("received_at", "=", after[0]), e("uuid", ">", after[1])])]));
  return q.orderBy("received_at").orderBy("uuid").limit(o.limit).execute();
}

/** The system, if it is active: a deactivated one fetches nothing more (a fetch it made before keeps its receipt). */
function activeSystem(db: Db, systemId: string) {
  return db.selectFrom("recipient_systems").select("id").where("id", "=", systemId).where("state", "=", "active");
}

/** Leases a queued message of an active system to a fetch until `leaseUntil` (wall-clock time); false when it is not the system's waiting post. */
export async function leaseForPull(db: Db, uuid: string, systemId: string, o: { token: string; leaseUntil: string }): Promise<boolean> {
  const r = await db
    .updateTable("messages")
    .set({ claim_token: o.token, claimed_until: o.leaseUntil })
    .where("uuid", "=", uuid)
    .where("custodian_system_id", "=", systemId)
    .where("state", "=", "queued")
    .where((e) => e.exists(activeSystem(db, systemId)))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Records a pull receipt on its message, as the lifecycle's `afterReceipt` says. */
export async function markPullReceipted(db: Db, uuid: string, n: AfterReceipt): Promise<void> {
  await db
    .updateTable("messages")
    .set({
      state: n.state,
      delivered_at: n.deliveredAt,
      receipt_status: n.receiptStatus,
      receipt_error: n.receiptError,
      attempt_count: n.attemptCount,
      last_attempt_at: n.lastAttemptAt,
      next_attempt_at: n.nextAttemptAt,
      claim_token: n.claimToken,
      claimed_until: n.claimedUntil,
    })
    .where("uuid", "=", uuid)
    .execute();
}

/**
 * A waiting message's bytes (queued on this active system) as stored, with its MeMo version and the
 * version its pull system chose (one read: the fetch converts when they differ, and leases only after).
 */
export async function findPullBody(
  db: Db,
  uuid: string,
  systemId: string,
): Promise<{ stored: StoredBody; memoVersion: string; systemMemoVersion: string; authorityCvr: string } | undefined> {
  const row = await db
    .selectFrom("messages")
    .innerJoin("recipient_systems", "recipient_systems.id", "messages.custodian_system_id")
    .innerJoin("message_bodies", "message_bodies.uuid", "messages.uuid")
    .select([
      ...STORED_BODY_COLUMNS,
      "messages.memo_version",
      "messages.authority_cvr",
      "recipient_systems.memo_version as system_memo_version",
    ])
    .where("messages.uuid", "=", uuid)
    .where("messages.custodian_system_id", "=", systemId)
    .where("messages.state", "=", "queued")
    .where("recipient_systems.state", "=", "active")
    .executeTakeFirst();
  return row
    ? {
        stored: storedBody(row),
        memoVersion: row.memo_version,
        systemMemoVersion: row.system_memo_version,
        authorityCvr: row.authority_cvr,
      }
    : undefined;
}
