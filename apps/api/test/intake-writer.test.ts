import { describe, expect, it } from "vitest";
import { groupCommitStore } from "../src/services/intake-writer.ts";
import { memoFor } from "./support/memo-fixtures.ts";
import { CVR, createTestApp, seedAuthority } from "./support/test-app.ts";

const XML = { "content-type": "application/xml" };

describe("intake through the Node server's group commit", () => {
  it("concurrent intakes share commits: every new message is stored once, a resend in the same group answers 200", async () => {
    const t = await createTestApp();
    t.deps.storeMessage = groupCommitStore(t.db, 8);
    const s = await seedAuthority(t);
    const letters = Array.from({ length: 40 }, () => memoFor(CVR, { contactPointId: s.cpPrimary.id }));
    // Every fifth letter is sent twice at the same moment.
    const sends = [...letters, ...letters.filter((_, i) => i % 5 === 0)];
    const answers = await Promise.all(sends.map((m) => t.call("POST", "/v1/messages", s.sender, m.xml, XML)));
    expect(answers.filter((a) => a.status === 202).length).toBe(40);
    expect(answers.filter((a) => a.status === 200).length).toBe(8);
    expect(answers.every((a) => a.status === 202 || a.status === 200)).toBe(true);
    const stored = await t.db.selectFrom("messages").select("uuid").execute();
    expect(stored.map((m) => m.uuid).sort()).toEqual(letters.map((m) => m.uuid).sort());
    const received = await t.db.selectFrom("events").select("message_uuid").where("type", "=", "received").execute();
    expect(received.length).toBe(40);
    // Intake still works after the groups (the writer is idle again, not stuck mid-flush).
    const after = memoFor(CVR, { contactPointId: s.cpPrimary.id });
    expect((await t.call("POST", "/v1/messages", s.sender, after.xml, XML)).status).toBe(202);
  });
});
