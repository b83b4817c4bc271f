import { CVR, createTestApp, OTHER_CVR, seedAuthority, type TestApp } from "./test-app.ts";
import { memoFor } from "./memo-fixtures.ts";
import { must } from "./reply.ts";

export { must };

const XML = { "content-type": "application/xml" };

/**
 * An authority whose primary system is deactivated, so post lands in Virk, with extra contact
 * points for every target problem: hidden (invisible, on the primary), closed (inactive, on other).
 * A second authority exists for tenant checks.
 */
export async function virkWorld(opts: { start?: string; endpoints?: { a?: string; b?: string } } = {}) {
  const t = await createTestApp({ start: opts.start ?? "2026-11-27T09:00:00Z" });
  const s = await seedAuthority(t, CVR, opts.endpoints ?? {});
  const o = await seedAuthority(t, OTHER_CVR);
  const hidden = must(
    await t.call("POST", `/v1/authorities/${CVR}/contact-points`, s.admin, {
      name: "Hidden CP",
      recipientSystemId: s.primary.id,
      visible: false,
      audiences: ["authorities"],
    }),
    201,
  );
  const closed = must(
    await t.call("POST", `/v1/authorities/${CVR}/contact-points`, s.admin, {
      name: "Closed CP",
      recipientSystemId: s.other.id,
      visible: true,
      active: false,
      audiences: ["authorities"],
    }),
    201,
  );
  must(await t.call("POST", `/v1/authorities/${CVR}/recipient-systems/${s.primary.id}/deactivate`, s.admin), 200);
  return { t, ...s, hidden, closed, otherAuthority: o };
}
export type VirkWorld = Awaited<ReturnType<typeof virkWorld>>;

/** Submits `n` messages (a minute apart) addressed to `contactPointId` (or only the CVR); returns their UUIDs. */
export async function submit(
  w: { t: TestApp; sender: string },
  n: number,
  contactPointId: string | null = null,
  cvr = CVR,
): Promise<string[]> {
  const uuids: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = memoFor(cvr, { contactPointId });
    must(await w.t.call("POST", "/v1/messages", w.sender, m.xml, XML), 202);
    uuids.push(m.uuid);
    w.t.clock.set(new Date((await w.t.clock.now()).getTime() + 60_000).toISOString());
  }
  return uuids;
}

/** Where each message is now: state and custodian system. */
export async function whereAre(t: TestApp, uuids: readonly string[]) {
  const rows = await t.db
    .selectFrom("messages")
    .select(["uuid", "state", "custodian_system_id", "route_contact_point_id", "next_attempt_at"])
    .where("uuid", "in", uuids.length ? [...uuids] : [""])
    .execute();
  return new Map(rows.map((r) => [r.uuid, r]));
}

/** Every item of a relocation (all pages). */
export async function allItems(t: TestApp, token: string, id: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = must(
      await t.call("GET", `/v1/authorities/${CVR}/relocations/${id}/items?limit=500${cursor ? `&cursor=${cursor}` : ""}`, token),
      200,
    );
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
