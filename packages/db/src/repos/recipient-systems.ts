import { EPISODE_CLEARED, type ClockWrite, type deactivate, type reactivate } from "@postvej/core/lifecycle";
import { sql, type Updateable } from "kysely";
import type { RecipientSystemsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

/** What a new recipient system starts as: active, not primary, never deactivated, no clocks running. */
export const NEW_SYSTEM_STATE = {
  is_primary: 0,
  state: "active",
  deactivated_at: null,
  deactivation_reason: null,
  last_delivered_at: null,
  failing_since: null,
  episode_started_at: null,
  warned_day2_at: null,
  warned_day5_at: null,
} as const satisfies Partial<RecipientSystemsTable>;

/** Stores a new recipient system. */
export async function insertRecipientSystem(db: Db, row: RecipientSystemsTable): Promise<void> {
  await db.insertInto("recipient_systems").values(row).execute();
}

/** An authority's recipient system by id, or undefined (another authority's looks missing). */
export function findRecipientSystem(db: Db, cvr: string, id: string): Promise<RecipientSystemsTable | undefined> {
  return db.selectFrom("recipient_systems").selectAll().where("authority_cvr", "=", cvr).where("id", "=", id).executeTakeFirst();
}

/** A recipient system by id alone (for the scheduler). */
export function getRecipientSystem(db: Db, id: string): Promise<RecipientSystemsTable | undefined> {
  return db.selectFrom("recipient_systems").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Every recipient system of an authority, oldest first. */
export function listRecipientSystems(db: Db, cvr: string): Promise<RecipientSystemsTable[]> {
  return db.selectFrom("recipient_systems").selectAll().where("authority_cvr", "=", cvr).orderBy("created_at").orderBy("id").execute();
}

/** Changes the given columns of an authority's system; false when it is not there. */
export async function updateRecipientSystem(db: Db, cvr: string, id: string, changes: Updateable<RecipientSystemsTable>): Promise<boolean> {
  const r = await db.updateTable("recipient_systems").set(changes).where("authority_cvr", "=", cvr).where("id", "=", id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Moves the primary mark to `id` (clearing it elsewhere first, so the unique index holds). */
export async function setPrimary(db: Db, cvr: string, id: string, now: string): Promise<void> {
  await db
    .updateTable("recipient_systems")
    .set({ is_primary: 0, updated_at: now })
    .where("authority_cvr", "=", cvr)
    .where("is_primary", "=", 1)
    .where("id", "!=", id)
    .execute();
  await db
    .updateTable("recipient_systems")
    .set({ is_primary: 1, updated_at: now })
    .where("authority_cvr", "=", cvr)
    .where("id", "=", id)
    .execute();
}

/** Ids of the active systems in a failure episode (failing now, or an episode not yet ended). */
export function listSystemsInEpisode(db: Db): Promise<{ id: string }[]> {
  return db
    .selectFrom("recipient_systems")
    .select("id")
    .where("state", "=", "active")
    .where((e) => e.or([e("failing_since", "is not", null), e("episode_started_at", "is not", null)]))
    .execute();
}

/** A recipient system by id while it is active, or undefined. */
export function findActiveSystem(db: Db, id: string): Promise<RecipientSystemsTable | undefined> {
  return db.selectFrom("recipient_systems").selectAll().where("id", "=", id).where("state", "=", "active").executeTakeFirst();
}

/** Every deactivated recipient system. */
export function listDeactivatedSystems(db: Db): Promise<RecipientSystemsTable[]> {
  return db.selectFrom("recipient_systems").selectAll().where("state", "=", "deactivated").execute();
}

/** Ids of the active pull systems. */
export function listActivePullSystems(db: Db): Promise<{ id: string }[]> {
  return db.selectFrom("recipient_systems").select(["id"]).where("protocol", "=", "REST_PULL").where("state", "=", "active").execute();
}

/** Marks a system's day-2 or day-5 warning sent at `at`; false when it was marked already (once per episode). */
export async function markSystemWarned(db: Db, id: string, day: 2 | 5, at: string): Promise<boolean> {
  const column = day === 2 ? "warned_day2_at" : "warned_day5_at";
  const r = await db
    .updateTable("recipient_systems")
    .set({ [column]: at })
    .where("id", "=", id)
    .where(column, "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Writes a system's clocks as the lifecycle says (`afterDelivered`, `afterFailed`, `EPISODE_CLEARED`):
 * with `unlessRunning`, each column only where it is not set yet.
 */
export async function writeSystemClocks(db: Db, id: string, w: ClockWrite): Promise<void> {
  await systemClocksUpdate(db, id, w).execute();
}

/** The statement {@link writeSystemClocks} runs, to run or to batch. */
export function systemClocksUpdate(db: Db, id: string, w: ClockWrite) {
  const columns: Record<string, string | null | undefined> = {
    last_delivered_at: w.lastDeliveredAt,
    failing_since: w.failingSince,
    episode_started_at: w.episodeStartedAt,
    warned_day2_at: w.warnedDay2At,
    warned_day5_at: w.warnedDay5At,
  };
  const given = Object.entries(columns).filter(([, v]) => v !== undefined) as [keyof RecipientSystemsTable & string, string | null][];
  return db
    .updateTable("recipient_systems")
    .set((e) => Object.fromEntries(given.map(([k, v]) => [k, w.unlessRunning ? e.fn.coalesce(k, e.val(v)) : v])))
    .where("id", "=", id);
}

/**
 * Ends a system's failure episode once nothing fails on it any more (no queued message with a
 * failed attempt: the flow's `endEpisode`), at the moment a delivery's outcome is written rather
 * than at the flow's next run, which a fresh failure may beat and inherit the old warnings.
 * Changes nothing while the episode goes on, or when none is open; true when it ended one.
 */
export async function endEpisodeIfNothingFails(db: Db, id: string): Promise<boolean> {
  const r = await episodeEndUpdate(db, id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The statement {@link endEpisodeIfNothingFails} runs, to run or to batch. */
export function episodeEndUpdate(db: Db, id: string) {
  return systemClocksUpdate(db, id, EPISODE_CLEARED)
    .where((e) =>
      e.or([
        e("failing_since", "is not", null),
        e("episode_started_at", "is not", null),
        e("warned_day2_at", "is not", null),
        e("warned_day5_at", "is not", null),
      ]),
    )
    .where((e) =>
      e.not(
        e.exists(
          e
            .selectFrom("messages")
            .select(sql.lit(1).as("one"))
            .where("custodian_system_id", "=", id)
            .where("state", "=", "queued")
            .where("first_failed_at", "is not", null),
        ),
      ),
    );
}

/** Deactivates a system while it is active (the lifecycle's `deactivate`); false when it was not active. */
export async function deactivateRecipientSystem(db: Db, id: string, n: ReturnType<typeof deactivate>["next"]): Promise<boolean> {
  const r = await db
    .updateTable("recipient_systems")
    .set({ state: n.state, deactivated_at: n.deactivatedAt, deactivation_reason: n.deactivationReason, updated_at: n.updatedAt })
    .where("id", "=", id)
    .where("state", "=", "active")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Reactivates an authority's system (the lifecycle's `reactivate`); returns the columns written. */
export async function reactivateRecipientSystem(db: Db, cvr: string, id: string, n: ReturnType<typeof reactivate>) {
  const fresh = {
    state: n.state,
    deactivated_at: n.deactivatedAt,
    deactivation_reason: n.deactivationReason,
    failing_since: n.failingSince,
    episode_started_at: n.episodeStartedAt,
    warned_day2_at: n.warnedDay2At,
    warned_day5_at: n.warnedDay5At,
    updated_at: n.updatedAt,
  } satisfies Updateable<RecipientSystemsTable>;
  await updateRecipientSystem(db, cvr, id, fresh);
  return fresh;
}

/** The distinct business contact e-mails of an authority's systems, in order, trimmed, blanks left out. */
export async function businessContactEmails(db: Db, cvr: string): Promise<string[]> {
  const contacts = await db
    .selectFrom("recipient_systems")
    .select("business_contact_email")
    .distinct()
    .where("authority_cvr", "=", cvr)
    .orderBy("business_contact_email")
    .execute();
  return contacts.map((c) => c.business_contact_email.trim()).filter((a) => a.length > 0);
}

/** The systems holding a signing secret (current or previous) not stored with `prefix`: to be sealed. */
export function listUnsealedSecrets(db: Db, prefix: string) {
  return db
    .selectFrom("recipient_systems")
    .select(["id", "signing_secret", "previous_signing_secret"])
    .where((e) =>
      e.or([
        e.and([e("signing_secret", "is not", null), e("signing_secret", "not like", `${prefix}%`)]),
        e.and([e("previous_signing_secret", "is not", null), e("previous_signing_secret", "not like", `${prefix}%`)]),
      ]),
    )
    .execute();
}

/** Replaces a stored secret with another value of it, only while it is still `from` (a rotation meanwhile wins); true when replaced. */
export async function replaceStoredSecret(
  db: Db,
  id: string,
  column: "signing_secret" | "previous_signing_secret",
  from: string,
  to: string,
): Promise<boolean> {
  const r = await db
    .updateTable("recipient_systems")
    .set({ [column]: to })
    .where("id", "=", id)
    .where(column, "=", from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
