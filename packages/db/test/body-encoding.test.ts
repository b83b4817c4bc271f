import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as bodyEncoding from "../src/migrations/2026-12-01-060-body-encoding.ts";
import { findMessageBodies, findMessageBody, storeNewMessages, type NewMessage } from "../src/repos/messages.ts";
import type { Database } from "../src/schema.ts";
import { freshDatabase } from "./helpers.ts";
import { CVR, newVirkRow, seedStructure, virkMessage } from "./virk-fixtures.ts";

const T = "2026-11-27T09:00:00.000Z";
const XML = new TextEncoder().encode(`<Message>${"<p>brev</p>".repeat(200)}</Message>`);

function deflated(uuid: string): NewMessage {
  return {
    row: { ...newVirkRow(uuid, deflateRawSync(XML), T), body_encoding: "deflate-raw", size_bytes: XML.length },
    events: [],
  };
}

describe("message_bodies.encoding", () => {
  let db: Kysely<Database>;
  beforeEach(async () => {
    db = await freshDatabase();
    await seedStructure(db);
  });
  afterEach(() => db.destroy());

  it("stores a deflated body as given and reads it back with its encoding and the original size", async () => {
    await storeNewMessages(db, [deflated("m-z")]);
    const stored = await findMessageBody(db, "m-z");
    expect(stored).toMatchObject({ encoding: "deflate-raw", sizeBytes: XML.length });
    expect(stored!.body.length).toBeLessThan(XML.length / 4);
    expect(inflateRawSync(stored!.body).equals(Buffer.from(XML))).toBe(true);
    expect((await findMessageBodies(db, ["m-z"])).get("m-z")).toEqual(stored);
  });

  it("reads a body written without an encoding (the old code's insert) as identity", async () => {
    await virkMessage(db, { uuid: "m-old", receivedAt: T });
    expect(await findMessageBody(db, "m-old")).toEqual({
      encoding: "identity",
      sizeBytes: 10,
      body: new TextEncoder().encode("<x>m-old</x>"),
    });
  });

  it("refuses an encoding it does not know", async () => {
    await virkMessage(db, { uuid: "m-x", receivedAt: T });
    await expect(sql`UPDATE message_bodies SET encoding = 'gzip' WHERE uuid = 'm-x'`.execute(db)).rejects.toThrow(/CHECK/);
  });

  it("keeps the bodies stored before the migration as they are, and goes back only while none is deflated", async () => {
    await bodyEncoding.down(db);
    await sql`INSERT INTO messages (uuid, authority_cvr, memo_version, body_sha256, size_bytes, attachment_count, route_reason,
      custodian_kind, state, received_at, attempt_count) VALUES ('m-before', ${CVR}, '1.2', '00', 3, 0, 'no_primary', 'virk', 'in_virk', ${T}, 0)`.execute(
      db,
    );
    await sql`INSERT INTO message_bodies (uuid, body) VALUES ('m-before', ${new Uint8Array([60, 120, 62])})`.execute(db);
    await bodyEncoding.up(db);
    expect(await findMessageBody(db, "m-before")).toEqual({ encoding: "identity", sizeBytes: 3, body: new Uint8Array([60, 120, 62]) });
    await storeNewMessages(db, [deflated("m-after")]);
    await expect(bodyEncoding.down(db)).rejects.toThrow(/deflated/);
    expect((await findMessageBody(db, "m-after"))?.encoding).toBe("deflate-raw");
  });
});
