import { sql, type Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertRows } from "../src/repos/insert-rows.ts";
import type { Database } from "../src/schema.ts";
import { freshDatabase } from "./helpers.ts";

let db: Kysely<Database>;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(async () => {
  await db.destroy();
});

const event = (i: number) => ({
  authority_cvr: "29189846",
  at: `2026-11-27T09:00:0${i}.000Z`,
  type: "received",
  message_uuid: i % 2 ? null : `m-${i}`,
  recipient_system_id: null,
  data: JSON.stringify({ i }),
});

describe("insertRows", () => {
  it("compiles to Kysely's text and parameters, for one row and many, again from its made text", () => {
    for (const n of [1, 3, 32, 3]) {
      const rows = Array.from({ length: n }, (_, i) => event(i));
      const ours = insertRows("events", rows, () => {
        throw new Error("regular rows need no fallback");
      });
      const theirs = db.insertInto("events").values(rows).compile();
      expect(ours.sql).toBe(theirs.sql);
      expect(ours.parameters).toEqual(theirs.parameters);
    }
  });

  it("leaves rows of other columns, undefined values and expressions to Kysely", () => {
    const fallback = { sql: "kysely", parameters: [] } as never;
    const differing = [event(1), { ...event(2), data: undefined }];
    expect(insertRows("events", differing, () => fallback)).toBe(fallback);
    const { data: _data, ...short } = event(2);
    expect(insertRows("events", [event(1), { ...short, type: "x" }], () => fallback)).toBe(fallback);
    expect(insertRows("events", [{ ...event(1), data: sql`json('{}')` }], () => fallback)).toBe(fallback);
    expect(insertRows("events", [], () => fallback)).toBe(fallback);
  });

  it("runs: the rows are stored with their values", async () => {
    const rows = Array.from({ length: 5 }, (_, i) => event(i));
    await db.executeQuery(insertRows("events", rows, () => db.insertInto("events").values(rows).compile()));
    const stored = await db.selectFrom("events").select(["at", "message_uuid", "data"]).orderBy("at").execute();
    expect(stored).toEqual(rows.map((r) => ({ at: r.at, message_uuid: r.message_uuid, data: r.data })));
  });
});
