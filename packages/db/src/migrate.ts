import type { Kysely } from "kysely";
import { type Migration, type MigrationProvider, Migrator } from "kysely/migration";
import * as initial from "./migrations/2026-11-27-001-initial.ts";
import * as pullWaitingIndex from "./migrations/2026-11-27-002-pull-waiting-index.ts";
import * as custodyAndDueBySystem from "./migrations/2026-11-27-003-custody-and-due-by-system.ts";
import * as senderLabel from "./migrations/2026-11-27-004-sender-label.ts";
import * as failuresAndManualRetries from "./migrations/2026-12-01-010-failures-and-manual-retries.ts";
import * as keyAndSecretLifecycle from "./migrations/2026-12-01-020-key-and-secret-lifecycle.ts";
import * as senderReceipts from "./migrations/2026-12-01-030-sender-receipts.ts";
import * as eventLogIndexes from "./migrations/2026-12-01-040-event-log-indexes.ts";
import * as messageBodies from "./migrations/2026-12-01-050-message-bodies.ts";
import * as bodyEncoding from "./migrations/2026-12-01-060-body-encoding.ts";
import * as dropUnusedDueIndex from "./migrations/2026-12-01-070-drop-unused-due-index.ts";
import { type MigrationLockOptions, withMigrationLock } from "./migration-lock.ts";
import type { Database } from "./schema.ts";

/** Every migration, collected statically so it also runs where there is no filesystem (Workers). */
const MIGRATIONS: Record<string, Migration> = {
  "2026-11-27-001-initial": initial,
  "2026-11-27-002-pull-waiting-index": pullWaitingIndex,
  "2026-11-27-003-custody-and-due-by-system": custodyAndDueBySystem,
  "2026-11-27-004-sender-label": senderLabel,
  "2026-12-01-010-failures-and-manual-retries": failuresAndManualRetries,
  "2026-12-01-020-key-and-secret-lifecycle": keyAndSecretLifecycle,
  "2026-12-01-030-sender-receipts": senderReceipts,
  "2026-12-01-040-event-log-indexes": eventLogIndexes,
  "2026-12-01-050-message-bodies": messageBodies,
  "2026-12-01-060-body-encoding": bodyEncoding,
  "2026-12-01-070-drop-unused-due-index": dropUnusedDueIndex,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Applies every pending migration; throws when one fails. Holds the migration lock meanwhile
 * (`migration-lock.ts`), so instances starting together migrate one at a time: the first applies
 * the migrations, the others wait for it and then find nothing left to do.
 */
export async function migrateToLatest(db: Kysely<Database>, lock: MigrationLockOptions = {}): Promise<void> {
  await withMigrationLock(
    db,
    async () => {
      const { error } = await new Migrator({ db, provider }).migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
    },
    lock,
  );
}
