import { describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers.ts";

describe("migrations", () => {
  it("create every table and allow only one primary system per authority", async () => {
    const db = await freshDatabase();
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name).sort()).toEqual(
      expect.arrayContaining(["authorities", "messages", "outbox", "relocation_items", "recipient_systems"]),
    );
    const now = new Date().toISOString();
    await db.insertInto("authorities").values({ cvr: "29189846", name: "A", created_at: now }).execute();
    const system = (id: string, primary: number) => ({
      id,
      authority_cvr: "29189846",
      name: id,
      protocol: "REST_PULL" as const,
      endpoint: null,
      signing_secret: null,
      technical_contact_name: "T",
      technical_contact_email: "t@example.dk",
      technical_contact_phone: null,
      business_contact_email: "b@example.dk",
      memo_version: "1.1" as const,
      is_primary: primary,
      state: "active" as const,
      deactivated_at: null,
      deactivation_reason: null,
      last_delivered_at: null,
      failing_since: null,
      episode_started_at: null,
      warned_day2_at: null,
      warned_day5_at: null,
      created_at: now,
      updated_at: now,
    });
    await db.insertInto("recipient_systems").values(system("rs_a", 1)).execute();
    await expect(db.insertInto("recipient_systems").values(system("rs_b", 1)).execute()).rejects.toThrow();
    await db.destroy();
  });

  it("serializes concurrent write transactions on an embedded file without deadlock", async () => {
    const db = await freshDatabase();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction().execute(async (tx) => {
          await tx
            .insertInto("settings")
            .values({ key: `k${i}`, value: "1" })
            .execute();
          await new Promise((r) => setTimeout(r, 1));
          await tx.updateTable("settings").set({ value: "2" }).where("key", "=", `k${i}`).execute();
        }),
      ),
    );
    const rows = await db.selectFrom("settings").select(["key", "value"]).execute();
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.value === "2")).toBe(true);
    await db.destroy();
  });
});
