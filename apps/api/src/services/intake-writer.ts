import { storeNewMessages, type Database, type MessagesTable, type NewEvent } from "@postvej/db";
import type { Kysely } from "kysely";

/** Stores an accepted message with its events, all or nothing; false when its UUID is stored already. */
export type MessageStore = (row: MessagesTable, events: NewEvent[]) => Promise<boolean>;

/**
 * The plain store: each request writes its own message in one batch. Always right, and the only
 * one allowed on Workers, where a request may wait on I/O that it started itself and never on
 * I/O another request owns (workerd cancels such a request as hung).
 */
export function directStore(db: Kysely<Database>): MessageStore {
  return async (row, events) => (await storeNewMessages(db, [{ row, events }])).has(row.uuid);
}

type Pending = { row: MessagesTable; events: NewEvent[]; resolve: (inserted: boolean) => void; reject: (e: unknown) => void };

/**
 * Group commit for one long-lived process (the Node server): messages accepted while a commit is
 * in flight are written together in the next batch, so concurrent senders share one commit
 * instead of queueing for one each. Each message still goes in with its events or not at all; a
 * UUID already stored is reported back (`false`) and leaves the rest of the group untouched.
 * A failed or slow batch fails or delays only its own group; the writer itself never wedges.
 * With `inFlight` above 1 (a remote database, where a batch mostly waits on the network), that
 * many groups are written at once: the database orders their transactions, so a UUID in two of
 * them is stored by one and answered as stored already (`false`) in the other.
 */
export function groupCommitStore(db: Kysely<Database>, maxGroup = 200, inFlight = 1): MessageStore {
  let pending: Pending[] = [];
  let writing = 0;
  let scheduled = false;

  const writeGroup = async (group: Pending[]) => {
    try {
      // One UUID twice in a group: the first is stored, the second answers as a replay.
      const stored = await storeNewMessages(db, group);
      const first = new Map<string, Pending>();
      for (const p of group) if (!first.has(p.row.uuid)) first.set(p.row.uuid, p);
      for (const p of group) p.resolve(stored.has(p.row.uuid) && first.get(p.row.uuid) === p);
    } catch (e) {
      for (const p of group) p.reject(e);
    }
  };
  // Starts groups while fewer than `inFlight` are being written; each one that ends starts the next.
  const pump = () => {
    while (writing < inFlight && pending.length > 0) {
      const group = pending.slice(0, maxGroup);
      pending = pending.slice(group.length);
      writing++;
      void writeGroup(group).finally(() => {
        writing--;
        pump();
      });
    }
  };

  return (row, events) =>
    new Promise<boolean>((resolve, reject) => {
      pending.push({ row, events, resolve, reject });
      // Wait one macrotask: requests whose bodies arrived in the same I/O turn join this group.
      if (writing < inFlight && !scheduled) {
        scheduled = true;
        setTimeout(() => {
          scheduled = false;
          pump();
        }, 0);
      }
    });
}
