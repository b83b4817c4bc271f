import { storeNewMessages, type Database, type MessagesTable, type NewEvent } from "@postvej/db";
import type { Kysely } from "kysely";

type Pending = { row: MessagesTable; events: NewEvent[]; resolve: (inserted: boolean) => void; reject: (e: unknown) => void };

/**
 * Group commit for intake: messages accepted while a commit is in flight are written together in
 * the next transaction, so concurrent senders share one commit instead of queueing for one each.
 * Each message still goes in with its events or not at all; a UUID already stored is reported
 * back (`false`) and leaves the rest of the group untouched.
 */
class IntakeWriter {
  private pending: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  private readonly db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  write(row: MessagesTable, events: NewEvent[]): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, events, resolve, reject });
      // Wait one macrotask: requests whose bodies arrived in the same I/O turn join this group.
      if (!this.flushing && !this.scheduled) {
        this.scheduled = true;
        setTimeout(() => {
          this.scheduled = false;
          void this.flush();
        }, 0);
      }
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0, 200);
        try {
          // One UUID twice in a group: the first is stored, the second answers as a replay.
          const stored = await storeNewMessages(this.db, group);
          const first = new Map<string, Pending>();
          for (const p of group) if (!first.has(p.row.uuid)) first.set(p.row.uuid, p);
          for (const p of group) p.resolve(stored.has(p.row.uuid) && first.get(p.row.uuid) === p);
        } catch (e) {
          for (const p of group) p.reject(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

const writers = new WeakMap<Kysely<Database>, IntakeWriter>();

/** Stores an accepted message with its events (grouped with concurrent ones); false when its UUID exists. */
export function storeAccepted(db: Kysely<Database>, row: MessagesTable, events: NewEvent[]): Promise<boolean> {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new IntakeWriter(db)));
  return w.write(row, events);
}
