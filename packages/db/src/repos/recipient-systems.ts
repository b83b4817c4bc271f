import type { Updateable } from "kysely";
import type { RecipientSystemsTable } from "../schema.ts";
import type { Db } from "./db-handle.ts";

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
export async function updateRecipientSystem(
  db: Db,
  cvr: string,
  id: string,
  changes: Updateable<RecipientSystemsTable>,
): Promise<boolean> {
  const r = await db.updateTable("recipient_systems").set(changes).where("authority_cvr", "=", cvr).where("id", "=", id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Moves the primary mark to `id` (clearing it elsewhere first, so the unique index holds). */
export async function setPrimary(db: Db, cvr: string, id: string, now: string): Promise<void> {
  await db.updateTable("recipient_systems").set({ is_primary: 0, updated_at: now })
    .where("authority_cvr", "=", cvr).where("is_primary", "=", 1).where("id", "!=", id).execute();
  await db.updateTable("recipient_systems").set({ is_primary: 1, updated_at: now })
    .where("authority_cvr", "=", cvr).where("id", "=", id).execute();
}

/** Ids of the active systems in a failure episode (failing now, or an episode not yet ended). */
export function listSystemsInEpisode(db: Db): Promise<{ id: string }[]> {
  return db.selectFrom("recipient_systems").select("id").where("state", "=", "active")
    .where((e) => e.or([e("failing_since", "is not", null), e("episode_started_at", "is not", null)])).execute();
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
  const r = await db.updateTable("recipient_systems").set({ [column]: at }).where("id", "=", id).where(column, "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ends a system's failure episode: its clocks and warnings start afresh. */
export async function endFailureEpisode(db: Db, id: string): Promise<void> {
  await db.updateTable("recipient_systems").set({ failing_since: null, episode_started_at: null, warned_day2_at: null, warned_day5_at: null }).where("id", "=", id).execute();
}

/** The system answered at `at` (a delivery or a receipt): its silence clock resets. */
export async function markSystemDelivered(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable("recipient_systems").set({ last_delivered_at: at, failing_since: null }).where("id", "=", id).execute();
}

/** A failure at `at` starts the system's clocks (failing since, episode start) unless they run already. */
export async function startFailureClocks(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable("recipient_systems")
    .set((e) => ({ failing_since: e.fn.coalesce("failing_since", e.val(at)), episode_started_at: e.fn.coalesce("episode_started_at", e.val(at)) }))
    .where("id", "=", id).execute();
}

/** Deactivates a system while it is active (automatically or by hand); false when it was not active. */
export async function deactivateRecipientSystem(db: Db, id: string, reason: "automatic" | "manual", at: string): Promise<boolean> {
  const r = await db.updateTable("recipient_systems").set({ state: "deactivated", deactivated_at: at, deactivation_reason: reason, updated_at: at })
    .where("id", "=", id).where("state", "=", "active").executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The distinct business contact e-mails of an authority's systems, in order, trimmed, blanks left out. */
export async function businessContactEmails(db: Db, cvr: string): Promise<string[]> {
  const contacts = await db.selectFrom("recipient_systems").select("business_contact_email").distinct()
    .where("authority_cvr", "=", cvr).orderBy("business_contact_email").execute();
  return contacts.map((c) => c.business_contact_email.trim()).filter((a) => a.length > 0);
}
