import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runRelocationBatches } from "../src/jobs/relocation-batches.ts";
import { allItems, must, submit, virkWorld, whereAre, type VirkWorld } from "./support/relocation-fixtures.ts";
import { CVR, OTHER_CVR } from "./support/test-app.ts";

const base = `/v1/authorities/${CVR}`;

describe("relocation (flyt post)", () => {
  let w: VirkWorld;
  let P: string[]; // addressed to Primary CP (its system is deactivated)
  let H: string[]; // addressed to Hidden CP (invisible)
  let C: string[]; // addressed to Closed CP (inactive)
  let N: string[]; // no contact point
  let U: string[]; // an unknown contact point
  let D: string[]; // routed to the active system, never in Virk
  beforeEach(async () => {
    w = await virkWorld();
    P = await submit(w, 3, w.cpPrimary.id);
    H = await submit(w, 2, w.hidden.id);
    C = await submit(w, 2, w.closed.id);
    N = await submit(w, 2);
    U = await submit(w, 1, crypto.randomUUID());
    D = await submit(w, 1, w.cpOther.id);
  });
  afterEach(async () => {
    await w.t.db.destroy();
  });

  const move = (body: unknown, token = w.admin) => w.t.call("POST", `${base}/relocations`, token, body);
  const virkCount = async () => must(await w.t.call("GET", `${base}/virk/messages?limit=1`, w.admin), 200).total as number;
  const outcomes = (items: any[]) =>
    Object.fromEntries(items.map((i) => [i.messageUUID, i.outcome === "moved" ? i.toContactPointId : i.reason]));

  it("moves a subset; UUIDs not in this Virk are reported, nothing else is touched; history, events and receipt follow", async () => {
    // the other authority has post in its own Virk too
    must(
      await w.t.call(
        "POST",
        `/v1/authorities/${OTHER_CVR}/recipient-systems/${w.otherAuthority.primary.id}/deactivate`,
        w.otherAuthority.admin,
      ),
      200,
    );
    const [theirs] = await submit({ t: w.t, sender: w.otherAuthority.sender }, 1, null, OTHER_CVR);
    const stranger = crypto.randomUUID();
    expect(await virkCount()).toBe(10);
    const r = move({
      selection: { messageUUIDs: [P[0], N[0], D[0], stranger, theirs, P[0]] },
      targetContactPointId: w.cpOther.id,
      preferOriginal: false,
      dryRun: false,
    });
    const rel = must(await r, 202);
    expect(rel).toMatchObject({ id: expect.stringMatching(/^rel_/), state: "finished", total: 5, moved: 2, skipped: 3 });
    const now = (await w.t.clock.now()).toISOString();
    expect(rel).toMatchObject({
      actor: { kind: "api_key", name: "admin" },
      createdAt: now,
      finishedAt: now,
      targetContactPointId: w.cpOther.id,
      targetContactPointName: "Other CP",
      preferOriginal: false,
      selection: { messageUUIDs: [P[0], N[0], D[0], stranger, theirs, P[0]] },
    });
    const where = await whereAre(w.t, [P[0]!, N[0]!, P[1]!, theirs!]);
    for (const u of [P[0]!, N[0]!])
      expect(where.get(u)).toMatchObject({
        state: "queued",
        custodian_system_id: w.other.id,
        route_contact_point_id: w.cpOther.id,
        next_attempt_at: now,
      });
    expect(where.get(P[1]!)!.state).toBe("in_virk");
    expect(where.get(theirs!)!.state).toBe("in_virk");
    expect(await virkCount()).toBe(8);
    const items = await allItems(w.t, w.admin, rel.id);
    expect(outcomes(items)).toEqual({
      [D[0]!]: "not_in_virk",
      [stranger]: "not_in_virk",
      [theirs!]: "not_in_virk",
      [P[0]!]: w.cpOther.id,
      [N[0]!]: w.cpOther.id,
    });
    // another authority's message says nothing of itself, not even its MeMo sender label
    expect(items.find((i) => i.messageUUID === theirs)).toMatchObject({ label: null, senderId: null, senderLabel: null });
    const p0 = items.find((i) => i.messageUUID === P[0]);
    expect(p0).toEqual({
      messageUUID: P[0],
      label: expect.any(String),
      senderId: "12345678",
      senderLabel: "Kommunen",
      receivedAt: "2026-11-27T09:00:00.000Z",
      fromContactPointId: w.cpPrimary.id,
      toContactPointId: w.cpOther.id,
      toContactPointName: "Other CP",
      toRecipientSystemId: w.other.id,
      outcome: "moved",
      reason: null,
      at: now,
    });
    // the message's own log says where it went; the authority's log has start and finish
    const msg = must(await w.t.call("GET", `/v1/messages/${P[0]}`, w.admin), 200);
    expect(JSON.stringify(msg)).toContain("relocated");
    const events = await w.t.db.selectFrom("events").select(["type", "message_uuid", "data"]).where("type", "like", "relocat%").execute();
    expect(
      events
        .filter((e) => e.type === "relocated")
        .map((e) => e.message_uuid)
        .sort(),
    ).toEqual([P[0], N[0]].sort());
    expect(events.filter((e) => e.type === "relocation_started")).toHaveLength(1);
    expect(events.filter((e) => e.type === "relocation_finished").map((e) => JSON.parse(e.data))).toEqual([
      { relocationId: rel.id, total: 5, moved: 2, skipped: 3 },
    ]);
    const mail = await w.t.db.selectFrom("outbox").selectAll().where("template", "=", "relocation_receipt").execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.dedupe_key).toBe(`relocation:${rel.id}:finished`);
    expect(JSON.parse(mail[0]!.to_addresses).sort()).toEqual(["biz-other@example.dk", "biz-primary@example.dk"]);
    expect(mail[0]!.subject).toContain("2 meddelelser flyttet");
    expect(mail[0]!.body_text).toContain("Other CP");
    // history lists it, newest first, and GET by id answers the same
    const list = must(await w.t.call("GET", `${base}/relocations`, w.admin), 200);
    expect(list).toEqual({ items: [rel], nextCursor: null });
    expect(must(await w.t.call("GET", `${base}/relocations/${rel.id}`, w.admin), 200)).toEqual(rel);
  });

  it("two identical moves at the same moment are one move: both answer it, and it e-mails one receipt", async () => {
    const body = { selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false };
    const [a, b] = await Promise.all([move(body), move(body)]);
    const both = [must(a, 202), must(b, 202)];
    expect(both[1]!.id).toBe(both[0]!.id);
    expect(both[0]).toMatchObject({ state: "finished", moved: 10 });
    const full = both[0]!;
    expect(await virkCount()).toBe(0);
    const receipts = await w.t.db
      .selectFrom("outbox")
      .select(["dedupe_key", "subject"])
      .where("template", "=", "relocation_receipt")
      .execute();
    expect(receipts).toEqual([
      { dedupe_key: `relocation:${full.id}:finished`, subject: expect.stringContaining("10 meddelelser flyttet") },
    ]);
    // the history holds the one move, with its one event
    expect(must(await w.t.call("GET", `${base}/relocations`, w.admin), 200).items.map((r: { id: string }) => r.id)).toEqual([full.id]);
    const finished = await w.t.db.selectFrom("events").select("data").where("type", "=", "relocation_finished").execute();
    expect(finished.map((e) => JSON.parse(e.data).relocationId)).toEqual([full.id]);
  });

  it("a later identical move that finds nothing left in Virk sends no receipt either", async () => {
    const job = must(
      await move({ selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false }),
      202,
    );
    expect(job.moved).toBe(10);
    // over a minute later (within it, the same request is answered with the first move)
    w.t.clock.set(new Date((await w.t.clock.now()).getTime() + 61_000).toISOString());
    const none = must(
      await move({ selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false }),
      202,
    );
    expect(none).toMatchObject({ state: "finished", total: 0, moved: 0 });
    const keys = (await w.t.db.selectFrom("outbox").select("dedupe_key").where("template", "=", "relocation_receipt").execute()).map(
      (r) => r.dedupe_key,
    );
    expect(keys).toEqual([`relocation:${job.id}:finished`]);
  });

  it("moves a received-date window", async () => {
    // P, H, C arrived 09:00–09:06; N at 09:07 and 09:08
    const selection = { receivedFrom: "2026-11-27T09:02:00Z", receivedTo: "2026-11-27T09:04:00Z" };
    const listed = must(
      await w.t.call("GET", `${base}/virk/messages?receivedFrom=${selection.receivedFrom}&receivedTo=${selection.receivedTo}`, w.admin),
      200,
    );
    const rel = must(await move({ selection, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false }), 202);
    expect(rel).toMatchObject({ state: "finished", total: 3, moved: 3, skipped: 0 });
    const moved = (await allItems(w.t, w.admin, rel.id)).map((i) => i.messageUUID);
    expect(moved).toEqual([P[2], H[0], H[1]]);
    expect(listed.items.map((m: any) => m.messageUUID).sort()).toEqual([...moved].sort());
    expect(await virkCount()).toBe(7);
  });

  it("moves all, and the mailbox is empty afterwards", async () => {
    const rel = must(
      await move({ selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false }),
      202,
    );
    expect(rel).toMatchObject({ state: "finished", total: 10, moved: 10, skipped: 0 });
    expect(await virkCount()).toBe(0);
    const where = await whereAre(w.t, [...P, ...H, ...C, ...N, ...U]);
    expect([...where.values()].every((m) => m.state === "queued" && m.custodian_system_id === w.other.id)).toBe(true);
    // nothing left: the same move again, over a minute later, selects nothing and finishes at once
    w.t.clock.set(new Date((await w.t.clock.now()).getTime() + 61_000).toISOString());
    expect(
      must(await move({ selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false }), 202),
    ).toMatchObject({ state: "finished", total: 0, moved: 0 });
  });

  it("preferOriginal sends post back where it was addressed when that qualifies, else to the target, else leaves it with the reason", async () => {
    must(await w.t.call("POST", `${base}/recipient-systems/${w.primary.id}/reactivate`, w.admin), 200);
    // without a target: only the valid originals move
    const a = must(await move({ selection: { all: true }, preferOriginal: true, dryRun: false }), 202);
    expect(a).toMatchObject({ state: "finished", total: 10, moved: 3, skipped: 7, targetContactPointId: null });
    const ia = outcomes(await allItems(w.t, w.admin, a.id));
    for (const u of P) expect(ia[u]).toBe(w.cpPrimary.id);
    for (const u of [...H, ...C, ...U]) expect(ia[u]).toBe("original_not_eligible_and_no_target");
    for (const u of N) expect(ia[u]).toBe("no_original_and_no_target");
    expect((await whereAre(w.t, P)).get(P[0]!)).toMatchObject({
      state: "queued",
      custodian_system_id: w.primary.id,
      route_contact_point_id: w.cpPrimary.id,
    });
    expect(await virkCount()).toBe(7);
    // with a target: the rest goes there
    const b = must(await move({ selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: true, dryRun: false }), 202);
    expect(b).toMatchObject({ state: "finished", total: 7, moved: 7, skipped: 0 });
    const ib = outcomes(await allItems(w.t, w.admin, b.id));
    for (const u of [...H, ...C, ...N, ...U]) expect(ib[u]).toBe(w.cpOther.id);
    expect(await virkCount()).toBe(0);
  });

  it("a dry run moves nothing and predicts the real run exactly", async () => {
    must(await w.t.call("POST", `${base}/recipient-systems/${w.primary.id}/reactivate`, w.admin), 200);
    const cases = [
      {
        selection: { messageUUIDs: [P[0], H[0], N[0], D[0], crypto.randomUUID()] },
        targetContactPointId: w.cpOther.id,
        preferOriginal: true,
      },
      { selection: { receivedFrom: "2026-11-27T09:01:00Z" }, preferOriginal: true },
      { selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false },
    ];
    for (const c of cases) {
      const before = await virkCount();
      const plan = must(await move({ ...c, dryRun: true }), 200);
      expect(plan.dryRun).toBe(true);
      expect(await virkCount()).toBe(before);
      expect(await w.t.db.selectFrom("relocations").select("id").where("state", "=", "running").execute()).toHaveLength(0);
      const rel = must(await move({ ...c, dryRun: false }), 202);
      const items = await allItems(w.t, w.admin, rel.id);
      expect(rel.total).toBe(plan.total);
      const counts: Record<string, number> = {};
      for (const i of items.filter((x) => x.outcome === "moved")) counts[i.toContactPointId] = (counts[i.toContactPointId] ?? 0) + 1;
      expect(Object.fromEntries(plan.moves.map((m: any) => [m.contactPointId, m.count]))).toEqual(counts);
      const skipped = items
        .filter((x) => x.outcome === "skipped")
        .map((x) => `${x.messageUUID}:${x.reason}`)
        .sort();
      expect(plan.skipped.map((s: any) => `${s.messageUUID}:${s.reason}`).sort()).toEqual(skipped);
      for (const m of plan.moves) {
        expect(m).toEqual({
          contactPointId: expect.any(String),
          contactPointName: expect.any(String),
          recipientSystemId: expect.any(String),
          recipientSystemName: expect.any(String),
          count: expect.any(Number),
        });
      }
    }
  });

  it("a small move whose inline batch fails answers 202 running, moves nothing, and the scheduler finishes it", async () => {
    await sql`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.type = 'relocated' BEGIN SELECT RAISE(ABORT, 'disk full'); END`.execute(
      w.t.db,
    );
    const rel = must(
      await move({ selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false }),
      202,
    );
    expect(rel).toMatchObject({ state: "running", total: 10, moved: 0, skipped: 0 });
    expect(await virkCount()).toBe(10);
    expect((await allItems(w.t, w.admin, rel.id)).every((i) => i.outcome === "pending")).toBe(true);
    await sql`DROP TRIGGER boom`.execute(w.t.db);
    const tick = await runRelocationBatches({ db: w.t.db, now: await w.t.clock.now(), portalUrl: null });
    expect(tick).toMatchObject({ relocations: 1, moved: 10, finished: 1, failed: 0 });
    expect(must(await w.t.call("GET", `${base}/relocations/${rel.id}`, w.admin), 200)).toMatchObject({ state: "finished", moved: 10 });
    expect(await virkCount()).toBe(0);
  });

  it("refuses bad input with 422 and moves nothing; other tenants get 404", async () => {
    const bad = async (body: unknown) => {
      const r = await move(body);
      expect(r.status).toBe(422);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
      return r.json;
    };
    expect((await bad({ selection: {}, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false })).code).toBe(
      "empty_selection",
    );
    expect(
      (await bad({ selection: { messageUUIDs: [] }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: true })).code,
    ).toBe("empty_selection");
    expect((await bad({ selection: { all: true }, preferOriginal: false, dryRun: false })).code).toBe("target_required");
    const target = async (id: string) => {
      const j = await bad({ selection: { all: true }, targetContactPointId: id, preferOriginal: true, dryRun: false });
      expect(j.code).toBe("target_not_eligible");
      return j.issues[0].code;
    };
    expect(await target(w.hidden.id)).toBe("invisible");
    expect(await target(w.closed.id)).toBe("inactive");
    expect(await target(w.cpPrimary.id)).toBe("system_deactivated");
    const unknown = await move({
      selection: { all: true },
      targetContactPointId: "7f0c3c52-3d2e-4b7a-9a59-2a6f1b0d9e11",
      preferOriginal: false,
      dryRun: false,
    });
    const foreign = await move({
      selection: { all: true },
      targetContactPointId: w.otherAuthority.cpOther.id,
      preferOriginal: false,
      dryRun: false,
    });
    expect(unknown.json.issues[0].code).toBe("unknown");
    expect({ ...foreign.json, detail: "" }).toEqual({ ...unknown.json, detail: "" });
    expect(foreign.json.detail.replace(w.otherAuthority.cpOther.id, "X")).toBe(
      unknown.json.detail.replace("7f0c3c52-3d2e-4b7a-9a59-2a6f1b0d9e11", "X"),
    );
    expect((await bad({ selection: { all: true, extra: 1 }, targetContactPointId: w.cpOther.id, preferOriginal: false })).code).toBe(
      "invalid_input",
    );
    // A window that ends before it starts, as a move and as a dry run: refused, not recorded as an empty move.
    for (const dryRun of [false, true]) {
      const backwards = await bad({
        selection: { receivedFrom: "2026-12-10", receivedTo: "2026-12-01" },
        targetContactPointId: w.cpOther.id,
        dryRun,
      });
      expect(backwards).toMatchObject({ code: "invalid_input", issues: [{ path: "selection.receivedTo" }] });
    }
    const sameDay = must(
      await move({ selection: { receivedFrom: "2026-12-01", receivedTo: "2026-12-01" }, targetContactPointId: w.cpOther.id, dryRun: true }),
      200,
    );
    expect(sameDay).toMatchObject({ dryRun: true });
    expect(await virkCount()).toBe(10);
    expect(await w.t.db.selectFrom("relocations").select("id").execute()).toHaveLength(0);

    // another authority's admin, a sender, or a view-only portal token: 404 everywhere
    const rel = must(
      await move({ selection: { messageUUIDs: [P[0]] }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false }),
      202,
    );
    const view = must(
      await w.t.call("POST", `${base}/portal-sessions`, w.admin, { capabilities: ["view"], user: { name: "Vera" } }),
      201,
    ).token;
    for (const token of [w.otherAuthority.admin, w.sender]) {
      expect((await w.t.call("GET", `${base}/relocations`, token)).status).toBe(404);
      expect((await w.t.call("GET", `${base}/relocations/${rel.id}`, token)).status).toBe(404);
      expect((await w.t.call("GET", `${base}/relocations/${rel.id}/items`, token)).status).toBe(404);
      expect((await w.t.call("POST", `${base}/relocations/${rel.id}/stop`, token)).status).toBe(404);
    }
    for (const token of [w.otherAuthority.admin, w.sender, view]) {
      expect(
        (await move({ selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: true }, token)).status,
      ).toBe(404);
    }
    expect((await w.t.call("GET", `/v1/authorities/${OTHER_CVR}/relocations/${rel.id}`, w.otherAuthority.admin)).status).toBe(404);
    expect(must(await w.t.call("GET", `${base}/relocations/${rel.id}`, view), 200).id).toBe(rel.id);
    // a portal user with `relocate` moves, and the history names the person
    const mover = must(
      await w.t.call("POST", `${base}/portal-sessions`, w.admin, { capabilities: ["view", "relocate"], user: { name: "Mette Flytter" } }),
      201,
    ).token;
    const byPortal = must(
      await move({ selection: { messageUUIDs: [P[1]] }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false }, mover),
      202,
    );
    expect(byPortal.actor).toEqual({ kind: "portal_user", name: "Mette Flytter" });
    expect((await w.t.call("POST", `${base}/relocations/${byPortal.id}/stop`, mover)).status).toBe(409);
  });
});

describe("large relocations run as a job", () => {
  let w: VirkWorld;
  let all: string[];
  beforeEach(async () => {
    w = await virkWorld();
    all = await submit(w, 520);
  });
  afterEach(async () => {
    await w.t.db.destroy();
  });
  const move = (body: unknown) => w.t.call("POST", `${base}/relocations`, w.admin, body);
  const target = () => ({ targetContactPointId: w.cpOther.id, preferOriginal: false });
  const now = async () => w.t.clock.now();
  const inVirk = async () =>
    (await w.t.db.selectFrom("messages").select("uuid").where("state", "=", "in_virk").where("authority_cvr", "=", CVR).execute()).length;
  const itemsPerMessage = async () => {
    const rows = await w.t.db
      .selectFrom("relocation_items")
      .select((eb) => ["message_uuid", "outcome", eb.fn.countAll<number>().as("n")])
      .groupBy(["message_uuid", "outcome"])
      .execute();
    return rows;
  };

  it("claims messages once, progresses in bounded batches, and stops half-way leaving the rest in Virk", async () => {
    const job = must(await move({ selection: { all: true }, ...target(), dryRun: false }), 202);
    expect(job).toMatchObject({ state: "running", total: 520, moved: 0, skipped: 0 });
    // a second move of the same messages while the job runs: claimed once
    w.t.clock.set(new Date((await now()).getTime() + 1000).toISOString());
    const second = must(await move({ selection: { messageUUIDs: all.slice(0, 10) }, ...target(), dryRun: false }), 202);
    expect(second).toMatchObject({ state: "finished", total: 10, moved: 0, skipped: 10 });
    expect(new Set((await allItems(w.t, w.admin, second.id)).map((i) => i.reason))).toEqual(new Set(["already_moving"]));
    const plan = must(await move({ selection: { all: true }, ...target(), dryRun: true }), 200);
    expect(plan.moves).toEqual([]);
    expect(plan.skipped).toHaveLength(520);

    const tick = await runRelocationBatches({ db: w.t.db, now: await now(), portalUrl: null, batchSize: 100, maxBatches: 2 });
    expect(tick).toMatchObject({ relocations: 1, batches: 2, moved: 200, finished: 0, failed: 0 });
    expect(must(await w.t.call("GET", `${base}/relocations/${job.id}`, w.admin), 200)).toMatchObject({
      state: "running",
      moved: 200,
      skipped: 0,
      total: 520,
    });
    const pending = must(await w.t.call("GET", `${base}/relocations/${job.id}/items?outcome=pending&limit=500`, w.admin), 200);
    expect(pending.items).toHaveLength(320);
    expect(pending.items.every((i: any) => i.toContactPointId === null)).toBe(true);

    const stopped = must(await w.t.call("POST", `${base}/relocations/${job.id}/stop`, w.admin), 200);
    expect(stopped).toMatchObject({
      id: job.id,
      state: "stopped",
      total: 520,
      moved: 200,
      skipped: 320,
      finishedAt: (await now()).toISOString(),
    });
    expect(await inVirk()).toBe(320);
    const items = await allItems(w.t, w.admin, job.id);
    expect(items.filter((i) => i.outcome === "moved")).toHaveLength(200);
    expect(items.filter((i) => i.outcome === "skipped" && i.reason === "stopped")).toHaveLength(320);
    expect((await w.t.call("POST", `${base}/relocations/${job.id}/stop`, w.admin)).status).toBe(409);
    // after a stop, the scheduler leaves it alone
    expect(await runRelocationBatches({ db: w.t.db, now: await now(), portalUrl: null })).toMatchObject({ relocations: 0, moved: 0 });
    const receipts = await w.t.db
      .selectFrom("outbox")
      .select(["dedupe_key", "subject"])
      .where("template", "=", "relocation_receipt")
      .orderBy("queued_at")
      .orderBy("id")
      .execute();
    // the second move found every message taken (already_moving) and moved none: no receipt for it
    expect(receipts.map((r) => r.dedupe_key)).toEqual([`relocation:${job.id}:stopped`]);
    expect(receipts.find((r) => r.dedupe_key.endsWith(":stopped"))!.subject).toContain("200 meddelelser flyttet");

    // the rest can be moved again
    w.t.clock.set(new Date((await now()).getTime() + 1000).toISOString());
    const rest = must(await move({ selection: { all: true }, ...target(), dryRun: false }), 202);
    expect(rest).toMatchObject({ state: "finished", total: 320, moved: 320, skipped: 0 });
    expect(await inVirk()).toBe(0);
    for (const r of await itemsPerMessage()) if (r.outcome === "moved") expect(Number(r.n)).toBe(1);
    const history = must(await w.t.call("GET", `${base}/relocations?limit=2`, w.admin), 200);
    expect(history.items.map((r: any) => r.id)).toEqual([rest.id, second.id]);
    const older = must(await w.t.call("GET", `${base}/relocations?limit=2&cursor=${history.nextCursor}`, w.admin), 200);
    expect(older).toMatchObject({ items: [{ id: job.id }], nextCursor: null });
  });

  it("a job stopped before its first batch moved nothing and sends no receipt", async () => {
    const job = must(await move({ selection: { all: true }, ...target(), dryRun: false }), 202);
    expect(job).toMatchObject({ state: "running", moved: 0 });
    const stopped = must(await w.t.call("POST", `${base}/relocations/${job.id}/stop`, w.admin), 200);
    expect(stopped).toMatchObject({ state: "stopped", moved: 0, skipped: 520 });
    expect(await inVirk()).toBe(520);
    expect(await w.t.db.selectFrom("outbox").select("id").where("template", "=", "relocation_receipt").execute()).toEqual([]);
    expect(await w.t.db.selectFrom("events").select("id").where("type", "=", "relocation_stopped").execute()).toHaveLength(1);
  });

  it("a run in flight holds its job on the wall clock: a tick with the simulated clock days ahead does not take it too", async () => {
    const job = must(await move({ selection: { all: true }, ...target(), dryRun: false }), 202);
    expect(job.state).toBe("running");
    const t0 = await now();
    const wall = () => Date.parse("2026-11-27T09:30:00Z");
    const later = new Date(t0.getTime() + 3 * 86_400_000);
    const [first, second] = await Promise.all([
      runRelocationBatches({ db: w.t.db, now: t0, portalUrl: null, batchSize: 100, maxBatches: 2, wallClock: wall }),
      runRelocationBatches({ db: w.t.db, now: later, portalUrl: null, batchSize: 100, maxBatches: 2, wallClock: wall }),
    ]);
    expect(first).toMatchObject({ relocations: 1, batches: 2, moved: 200 });
    expect(second).toMatchObject({ relocations: 0, batches: 0, moved: 0 });
    expect(must(await w.t.call("GET", `${base}/relocations/${job.id}`, w.admin), 200)).toMatchObject({ state: "running", moved: 200 });
    // the run gave its claim back when it was done with it: the next tick goes on at once
    expect(
      await runRelocationBatches({ db: w.t.db, now: later, portalUrl: null, batchSize: 100, maxBatches: 1, wallClock: wall }),
    ).toMatchObject({
      relocations: 1,
      moved: 100,
    });
  });

  it("the scheduler tick finishes a job, and a batch that fails half-way loses and duplicates nothing", async () => {
    const job = must(await move({ selection: { all: true }, ...target(), dryRun: false }), 202);
    expect(job.state).toBe("running");
    // a real failure inside the second batch's transaction: its 51st relocated event aborts
    const victim = all[150]!;
    await sql`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.type = 'relocated' AND NEW.message_uuid = ${sql.lit(victim)} BEGIN SELECT RAISE(ABORT, 'power cut'); END`.execute(
      w.t.db,
    );
    const t0 = await now();
    const wall = Date.parse("2026-11-27T09:00:00Z");
    const crashed = await runRelocationBatches({
      db: w.t.db,
      now: t0,
      portalUrl: null,
      batchSize: 100,
      maxBatches: 5,
      wallClock: () => wall,
    });
    expect(crashed).toMatchObject({ relocations: 1, batches: 1, moved: 100, failed: 1 });
    expect(await inVirk()).toBe(420);
    expect(must(await w.t.call("GET", `${base}/relocations/${job.id}`, w.admin), 200)).toMatchObject({
      state: "running",
      moved: 100,
      skipped: 0,
    });
    expect((await whereAre(w.t, [victim])).get(victim)!.state).toBe("in_virk");
    await sql`DROP TRIGGER boom`.execute(w.t.db);
    // the failed run keeps its lease (wall clock): a tick within it leaves the job alone, even with the
    // simulated clock two days on; a tick after it resumes
    w.t.clock.set(new Date(t0.getTime() + 2 * 86_400_000).toISOString());
    const tickAt = async (wallMs: number) => {
      w.t.deps.wallClock = () => wallMs;
      return ((await w.t.deps.runJobs(await now())) as { relocations: { relocations: number; moved: number; finished: number } })
        .relocations;
    };
    expect(await tickAt(wall + 60_000)).toMatchObject({ relocations: 0, moved: 0 });
    const report = { relocations: await tickAt(wall + 6 * 60_000) };
    expect(report.relocations).toMatchObject({ moved: 420, finished: 1 });
    expect(must(await w.t.call("GET", `${base}/relocations/${job.id}`, w.admin), 200)).toMatchObject({
      state: "finished",
      total: 520,
      moved: 520,
      skipped: 0,
    });
    expect(await inVirk()).toBe(0);
    const perMessage = await itemsPerMessage();
    expect(perMessage).toHaveLength(520);
    expect(perMessage.every((r) => r.outcome === "moved" && Number(r.n) === 1)).toBe(true);
    const events = await w.t.db
      .selectFrom("events")
      .select((eb) => ["message_uuid", eb.fn.countAll<number>().as("n")])
      .where("type", "=", "relocated")
      .groupBy("message_uuid")
      .execute();
    expect(events).toHaveLength(520);
    expect(events.every((e) => Number(e.n) === 1)).toBe(true);
    const states = await w.t.db.selectFrom("messages").select("custodian_system_id").distinct().where("uuid", "in", all).execute();
    expect(states.map((s) => s.custodian_system_id)).toEqual([w.other.id]);
    expect(await w.t.db.selectFrom("outbox").select("id").where("dedupe_key", "=", `relocation:${job.id}:finished`).execute()).toHaveLength(
      1,
    );
  });
});
