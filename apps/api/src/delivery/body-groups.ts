import { findMessageBodies, type ClaimedMessage, type Database, type StoredBody } from "@postvej/db";
import type { Kysely } from "kysely";
import { readStoredBody, type BodyCodec } from "../services/body-codec.ts";

/**
 * A system's claimed messages in groups of at most `size` (and 8 MB), each with its bodies; the
 * next group's are read while the caller pushes this one, so few 17 KB bodies live at once (they
 * die young instead of filling the old heap) and a remote database's round trip hides behind the
 * pushes. Once `stop()` answers true, the groups left come without bodies (null), unread. Bodies
 * come decoded (stored deflated or not); one that cannot be read is logged and left out, so its
 * message is not pushed (the caller gives its claim back) and never marked delivered.
 */
export async function* withBodies(
  deps: { db: Kysely<Database>; bodyCodec?: BodyCodec | undefined },
  messages: readonly ClaimedMessage[],
  size: number,
  stop: () => boolean,
): AsyncGenerator<[ClaimedMessage[], Map<string, Uint8Array> | null]> {
  const groups = [...bodyGroups(messages, size)];
  const read = (group: ClaimedMessage[] | undefined) => {
    if (!group || stop()) return Promise.resolve(null);
    const bodies = findMessageBodies(
      deps.db,
      group.map((m) => m.uuid),
    ).then((stored) => decoded(deps.bodyCodec, stored));
    // Awaited in its turn below; until then a failure must not count as unhandled.
    bodies.catch(() => {});
    return bodies;
  };
  let next = read(groups[0]);
  for (const [i, group] of groups.entries()) {
    const bodies = await next;
    next = read(groups[i + 1]);
    yield [group, bodies];
  }
}

/** The original bytes of each stored body that can be read; one that cannot is logged and left out. */
async function decoded(codec: BodyCodec | undefined, stored: Map<string, StoredBody>): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const [uuid, body] of stored) {
    try {
      out.set(uuid, await readStoredBody(codec, uuid, body));
    } catch (err) {
      console.error("postvej: not pushing a message whose stored body cannot be read", err);
    }
  }
  return out;
}

function* bodyGroups(messages: readonly ClaimedMessage[], size: number): Generator<ClaimedMessage[]> {
  let group: ClaimedMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    if (group.length > 0 && (group.length >= size || bytes + m.size_bytes > 8 * 1024 * 1024)) {
      yield group;
      group = [];
      bytes = 0;
    }
    group.push(m);
    bytes += m.size_bytes;
  }
  if (group.length > 0) yield group;
}
