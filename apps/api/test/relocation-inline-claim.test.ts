// A small move runs within its request, on every entry (the route is the Node server's and the
// Worker's alike): held with a job's claim from the moment it exists, so a scheduler tick of another
// instance (or the Cron Trigger) sees it taken while the inline run moves its post. What the inline
// run leaves behind is given back at once, for the next tick.
import type { Database } from "@postvej/db";
import { openNodeDatabase } from "@postvej/db/node";
import { sql, type Kysely, type KyselyPlugin } from "kysely";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runRelocationBatches } from "../src/jobs/relocation-batches.ts";
import { must, submit, virkWorld } from "./support/relocation-fixtures.ts";
import { CVR } from "./support/test-app.ts";

const base = `/v1/authorities/${CVR}`;
let other: Kysely<Database> | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await other?.destroy();
  other = undefined;
});

/** POST a move of `uuids` to the other contact point; its 202 answer. */
const moveToOther = async (w: Awaited<ReturnType<typeof virkWorld>>, uuids: string[]) =>
  must(
    await w.t.call("POST", `${base}/relocations`, w.admin, {
      selection: { messageUUIDs: uuids },
      targetContactPointId: w.cpOther.id,
      preferOriginal: false,
      dryRun: false,
    }),
    202,
  );

type Seen = { id: string; state: string; claim_token: string | null; claimed_until: string | null };

describe("the inline run of a small relocation", () => {
  it("holds the relocation's claim while it moves the post: a tick meanwhile would take nothing", async () => {
    const w = await virkWorld();
    const uuids = await submit(w, 3);
    // Another connection to the same file, as another instance's scheduler has: it sees what is committed.
    other = await openNodeDatabase(`file:${join(w.t.dir, "api.db")}`);
    const reader = other;
    let seen: Seen | undefined;
    // At each answer the API's connection gets, look from the other one: the first time a relocation
    // is committed, the inline run is under way (its batch's transaction is open).
    const probe: KyselyPlugin = {
      transformQuery: (a) => a.node,
      transformResult: async (a) => {
        seen ??= await reader.selectFrom("relocations").select(["id", "state", "claim_token", "claimed_until"]).executeTakeFirst();
        return a.result;
      },
    };
    w.t.deps.db = w.t.db.withPlugin(probe);
    const rel = await moveToOther(w, uuids);
    expect(rel).toMatchObject({ state: "finished", moved: 3 });
    expect(seen).toMatchObject({ id: rel.id, state: "running", claim_token: expect.any(String) });
    // As claimRunningRelocations asks: a lease that has not run out is another run's.
    expect(Date.parse(seen!.claimed_until!)).toBeGreaterThan(Date.now());
  });

  it("gives one whose inline batch failed back at once: the next tick takes it, not a lease later", async () => {
    const w = await virkWorld();
    const uuids = await submit(w, 3);
    await sql`CREATE TRIGGER fail_moves BEFORE UPDATE ON relocation_items BEGIN SELECT RAISE(ABORT, 'the batch fails'); END`.execute(
      w.t.db,
    );
    vi.spyOn(console, "error").mockImplementation(() => {});
    const rel = await moveToOther(w, uuids);
    expect(rel).toMatchObject({ state: "running", moved: 0 });
    const row = await w.t.db
      .selectFrom("relocations")
      .select(["claim_token", "claimed_until"])
      .where("id", "=", rel.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ claim_token: null, claimed_until: null });
    await sql`DROP TRIGGER fail_moves`.execute(w.t.db);
    const tick = await runRelocationBatches({ db: w.t.db, now: await w.t.clock.now(), portalUrl: null });
    expect(tick).toMatchObject({ relocations: 1, moved: 3, finished: 1 });
  });
});
