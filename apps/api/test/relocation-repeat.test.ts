// Two identical move requests at the same moment (a double click, a retried call) make one move:
// both answer 202 with the same relocation, the history holds it once, and each message moved once.
// Through a real HTTP server over libSQL.
import { afterEach, describe, expect, it } from "vitest";
import { must, submit, virkWorld, whereAre, type VirkWorld } from "./support/relocation-fixtures.ts";
import { CVR, serveTestApp } from "./support/test-app.ts";

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

const base = `/v1/authorities/${CVR}`;

async function setUp(): Promise<{ w: VirkWorld; post: (body: unknown) => Promise<{ status: number; json: any }> }> {
  const w = await virkWorld();
  const server = await serveTestApp(w.t);
  closeServer = server.close;
  const post = async (body: unknown) => {
    const r = await fetch(`${server.base}${base}/relocations`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.admin}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: r.status, json: await r.json() };
  };
  return { w, post };
}

const history = async (w: VirkWorld) => must(await w.t.call("GET", `${base}/relocations?limit=500`, w.admin), 200).items as any[];
const started = async (w: VirkWorld) =>
  (await w.t.db.selectFrom("events").select("id").where("type", "=", "relocation_started").execute()).length;

describe("identical relocation requests", () => {
  it("racing, both answer the one relocation; the history holds one move and each message moved once", async () => {
    const { w, post } = await setUp();
    const uuids = await submit(w, 4);
    const request = { selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false };
    const [a, b] = await Promise.all([post(request), post(request)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.json.id).toBe(a.json.id);
    const moves = await history(w);
    expect(moves.map((m) => m.id)).toEqual([a.json.id]);
    expect(moves[0]).toMatchObject({ state: "finished", total: 4, moved: 4, skipped: 0 });
    expect(await started(w)).toBe(1);
    for (const m of (await whereAre(w.t, uuids)).values()) expect(m).toMatchObject({ state: "queued", custodian_system_id: w.other.id });
    const relocated = await w.t.db.selectFrom("events").select("message_uuid").where("type", "=", "relocated").execute();
    expect(relocated.map((e) => e.message_uuid).sort()).toEqual([...uuids].sort());
  });

  it("a minute after a finished one, the same request is a new move; another request at once is its own", async () => {
    const { w, post } = await setUp();
    const first = await submit(w, 2);
    const request = { selection: { messageUUIDs: first }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false };
    const a = must(await w.t.call("POST", `${base}/relocations`, w.admin, request), 202);
    // Another selection at once is another request.
    const later = await submit(w, 1); // moves the clock a minute on
    const other = await post({ ...request, selection: { messageUUIDs: later } });
    expect(other.status).toBe(202);
    expect(other.json.id).not.toBe(a.id);
    expect(other.json).toMatchObject({ moved: 1 });
    // Over a minute after the first (and it finished): the same request again is a move of its own, finding nothing left in Virk.
    const again = await post(request);
    expect(again.status).toBe(202);
    expect(again.json.id).not.toBe(a.id);
    expect(again.json).toMatchObject({ total: 2, moved: 0, skipped: 2 });
    expect((await history(w)).length).toBe(3);
  });

  it("within the minute, post that landed in Virk since the finished move makes the same request a new move", async () => {
    const { w, post } = await setUp();
    await submit(w, 2);
    const request = { selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false };
    const a = await post(request);
    expect(a.json).toMatchObject({ state: "finished", moved: 2 });
    const at = await w.t.clock.now();
    const [late] = await submit(w, 1); // lands in Virk now
    w.t.clock.set(new Date(at.getTime() + 30_000).toISOString()); // still within the minute of the first
    const b = await post(request);
    expect(b.status).toBe(202);
    expect(b.json.id).not.toBe(a.json.id);
    expect(b.json).toMatchObject({ state: "finished", total: 1, moved: 1 });
    expect((await whereAre(w.t, [late!])).get(late!)).toMatchObject({ state: "queued", custodian_system_id: w.other.id });
    // And the same again at once, with nothing left in Virk, is that second move.
    const c = await post(request);
    expect(c.json.id).toBe(b.json.id);
    expect((await history(w)).length).toBe(2);
  });

  it("while a move still runs, the same request is answered with it, however late", async () => {
    const { w, post } = await setUp();
    await submit(w, 2);
    const request = { selection: { all: true }, targetContactPointId: w.cpOther.id, preferOriginal: false, dryRun: false };
    const a = await post(request);
    // As a large move left to the scheduler would be: still running an hour later.
    await w.t.db.updateTable("relocations").set({ state: "running", finished_at: null }).where("id", "=", a.json.id).execute();
    w.t.clock.set(new Date((await w.t.clock.now()).getTime() + 3_600_000).toISOString());
    const b = await post(request);
    expect(b.status).toBe(202);
    expect(b.json).toMatchObject({ id: a.json.id, state: "running" });
    expect((await history(w)).length).toBe(1);
  });
});
