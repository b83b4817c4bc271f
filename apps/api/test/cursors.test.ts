// Every paged list takes its cursor through one codec (src/cursor.ts): a cursor it did not hand
// out, whatever is wrong with it, answers 400 `bad_cursor` as problem+json and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CursorShape, decodeCursor, encodeCursor } from "../src/cursor.ts";
import { ApiError } from "../src/errors.ts";
import { must, submit, virkWorld, type VirkWorld } from "./support/relocation-fixtures.ts";
import { CVR, OPERATOR, OTHER_CVR } from "./support/test-app.ts";

const base = `/v1/authorities/${CVR}`;
const b64url = (text: string) => btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const raw = (value: unknown) => b64url(JSON.stringify(value));

let w: VirkWorld;
let pullKey: string;
let relocationId: string;
let routes: { name: string; path: string; token: string; shape: CursorShape; tag: string }[];
let otherPullKey: string;

/** The list tag a cursor this list handed out starts with. */
const tagIn = (cursor: string): string => JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")))[0];

beforeAll(async () => {
  w = await virkWorld();
  const virk = await submit(w, 6);
  pullKey = await pullSystemWithPost("pull");
  const move = (uuids: string[]) =>
    w.t.call("POST", `${base}/relocations`, w.admin, {
      selection: { messageUUIDs: uuids },
      targetContactPointId: w.cpOther.id,
      preferOriginal: false,
      dryRun: false,
    });
  relocationId = must(await move([virk[0]!, virk[1]!, crypto.randomUUID()]), 202).id;
  must(await move([virk[2]!]), 202);
  routes = [
    { name: "Virk mailbox", path: `${base}/virk/messages`, token: w.admin, shape: ["string", "string"] },
    { name: "relocation history", path: `${base}/relocations`, token: w.admin, shape: ["string", "string"] },
    { name: "relocation items", path: `${base}/relocations/${relocationId}/items`, token: w.admin, shape: ["number"] },
    { name: "event log", path: `${base}/events`, token: w.admin, shape: ["number"] },
    { name: "notifications", path: `${base}/notifications`, token: w.admin, shape: ["string", "string"] },
    { name: "contact points", path: `${base}/contact-points`, token: w.admin, shape: ["string"] },
    { name: "recipient systems", path: `${base}/recipient-systems`, token: w.admin, shape: ["string"] },
    { name: "pull waiting list", path: "/v1/recipient/messages", token: pullKey, shape: ["string", "string"] },
  ].map((r) => ({ ...r, shape: r.shape as CursorShape, tag: "" }));
  for (const route of routes) route.tag = tagIn(must(await w.t.call("GET", `${route.path}?limit=1`, route.token), 200).nextCursor);
  // A second pull system of the same authority, with post of its own.
  otherPullKey = await pullSystemWithPost("pull 2");
});
afterAll(async () => {
  await w?.t.db.destroy();
});

/** Cursors no list handed out, each with what is wrong with it, for a list whose cursors have `shape` after the list's `tag`. */
function badCursors(shape: CursorShape, tag: string): [string, string][] {
  const values = shape.map((k) => (k === "number" ? 7 : "2026-11-27T09:00:00.000Z"));
  const good = [tag, ...values];
  const cases: [string, string][] = [
    ["not base64url", "garbage!"],
    ["base64 with padding and +/", `${btoa(JSON.stringify(good))}==`.replace(/[A-Za-z]/, "+")],
    ["the keyset values without the list's tag", raw(values)],
    ["a tag that is no string", raw([7, ...values])],
    ["an empty tag", raw(["", ...values])],
    ["base64 of no JSON", b64url("not json")],
    ["base64 of bytes that are no UTF-8", b64url("\xff\xfe[1]")],
    ["JSON that is no list", raw({ id: 1 })],
    ["a bare number", raw(7)],
    ["an empty list", raw([])],
    ["one value too many", raw([...good, "extra"])],
    ["a null", raw([tag, ...shape.map(() => null)])],
  ];
  if (shape.length > 1) cases.push(["one value too few", raw(good.slice(0, -1))]);
  // ["x"] where a number is expected, [1] where a string is (or where the count is wrong).
  if (!(shape.length === 1 && shape[0] === "string")) cases.push(['["x"]', raw(["x"])]);
  if (!(shape.length === 1 && shape[0] === "number")) cases.push(["[1]", raw([1])]);
  // Each value in turn made wrong for its kind.
  shape.forEach((kind, i) => {
    const put = (label: string, json: string) => {
      const texts = good.map((v) => JSON.stringify(v));
      texts[i + 1] = json;
      cases.push([`value ${i + 1} ${label}`, b64url(`[${texts.join(",")}]`)]);
    };
    if (kind === "number") {
      put("a string", '"x"');
      put("a numeric string", '"7"');
      put("infinite (1e400)", "1e400");
      put("a fraction", "1.5");
      put("beyond the safe integers", "9007199254740993");
      put("a boolean", "true");
    } else {
      put("a number", "1");
      put("empty", '""');
      put("a list", '["a"]');
    }
  });
  if (shape.length === 1 && shape[0] === "string") cases.push(["an id that is not in this list", raw([tag, "no_such_item"])]);
  return cases;
}

/** What bad post could change: every message's state and claim, and the size of each log. */
async function snapshot() {
  const messages = await w.t.db
    .selectFrom("messages")
    .select(["uuid", "state", "claimed_until", "custodian_system_id"])
    .orderBy("uuid")
    .execute();
  const count = async (table: "events" | "outbox" | "relocations" | "attempts") =>
    Number(
      (
        await w.t.db
          .selectFrom(table)
          .select((e) => e.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    messages,
    events: await count("events"),
    outbox: await count("outbox"),
    relocations: await count("relocations"),
    attempts: await count("attempts"),
  };
}

describe("cursors", () => {
  it("every paged list answers a cursor it did not hand out with 400 bad_cursor and changes nothing", async () => {
    const before = await snapshot();
    const wrong: string[] = [];
    for (const route of routes) {
      for (const [what, cursor] of badCursors(route.shape, route.tag)) {
        const r = await w.t.call("GET", `${route.path}?limit=1&cursor=${encodeURIComponent(cursor)}`, route.token);
        const ok =
          r.status === 400 &&
          r.headers.get("content-type")?.startsWith("application/problem+json") &&
          r.json?.code === "bad_cursor" &&
          r.json?.status === 400 &&
          typeof r.json?.detail === "string" &&
          r.json?.issues?.[0]?.path === "cursor" &&
          r.json?.issues?.[0]?.code === "bad_cursor";
        if (!ok) wrong.push(`${route.name}, ${what}: ${r.status} ${r.text}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("still pages every list with the cursors it hands out; no cursor or an empty one is the first page", async () => {
    for (const route of routes) {
      const all = must(await w.t.call("GET", `${route.path}?limit=500`, route.token), 200).items as unknown[];
      expect(all.length, route.name).toBeGreaterThan(1);
      const seen: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page: any = must(await w.t.call("GET", `${route.path}?limit=1${cursor ? `&cursor=${cursor}` : ""}`, route.token), 200);
        seen.push(...page.items);
        cursor = page.nextCursor;
        if (cursor) expect(cursor, route.name).toMatch(/^[A-Za-z0-9_-]+$/);
      } while (cursor);
      expect(seen, route.name).toEqual(all);
      expect(must(await w.t.call("GET", `${route.path}?limit=500&cursor=`, route.token), 200).items, route.name).toEqual(all);
    }
  });

  it("refuses a well-formed cursor another list handed out: another pull system's, another list's, another authority's", async () => {
    const before = await snapshot();
    const cursorOf = async (path: string, token: string) => must(await w.t.call("GET", `${path}?limit=1`, token), 200).nextCursor as string;
    const foreign: [string, string, string][] = [
      ["/v1/recipient/messages", otherPullKey, await cursorOf("/v1/recipient/messages", pullKey)],
      [`${base}/notifications`, w.admin, await cursorOf(`${base}/relocations`, w.admin)],
      [`${base}/virk/messages`, w.admin, await cursorOf(`${base}/notifications`, w.admin)],
      [`${base}/relocations/${relocationId}/items`, w.admin, await cursorOf(`${base}/events`, w.admin)],
      [`/v1/authorities/${OTHER_CVR}/events`, w.otherAuthority.admin, await cursorOf(`${base}/events`, w.admin)],
    ];
    for (const [path, token, cursor] of foreign) {
      const r = await w.t.call("GET", `${path}?limit=1&cursor=${cursor}`, token);
      expect(r.status, path).toBe(400);
      expect(r.headers.get("content-type"), path).toMatch(/^application\/problem\+json/);
      expect(r.json, path).toMatchObject({
        code: "cursor_from_another_list",
        issues: [{ path: "cursor", code: "cursor_from_another_list" }],
      });
      expect(r.json.detail, path).toMatch(/handed out by another list/);
    }
    // Each list still takes its own.
    const mine = await cursorOf("/v1/recipient/messages", otherPullKey);
    expect(must(await w.t.call("GET", `/v1/recipient/messages?limit=1&cursor=${mine}`, otherPullKey), 200).items).toHaveLength(1);
    expect(await snapshot()).toEqual(before);
  });

  it("the events log no longer answers 500 for a cursor holding no number (issue 10 §4)", async () => {
    const tag = routes.find((r) => r.name === "event log")!.tag;
    const r = await w.t.call("GET", `${base}/events?cursor=${raw([tag, "x"])}`, w.admin);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: "bad_cursor", issues: [{ path: "cursor", code: "bad_cursor" }] });
    expect(r.json.detail).toMatch(/value 1 is not an integer/);
  });
});

describe("the cursor codec", () => {
  it("round-trips keyset values, text beyond Latin-1 included", () => {
    const values = ["2026-11-27T09:00:00.000Z", "Æblegården ☃", 42] as const;
    const cursor = encodeCursor(values, "/v1/some/list");
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ["string", "string", "number"], "/v1/some/list")).toEqual([...values]);
  });

  it("names what is wrong", () => {
    const reason = (cursor: string, shape: CursorShape) => {
      try {
        decodeCursor(cursor, shape, "/v1/some/list");
        return "accepted";
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).status).toBe(400);
        return (e as ApiError).detail;
      }
    };
    expect(reason("a b", ["number"])).toMatch(/not base64url/);
    expect(reason(b64url("{"), ["number"])).toMatch(/does not decode to JSON/);
    expect(reason(raw({}), ["number"])).toMatch(/not hold a list/);
    const tag = tagIn(encodeCursor([1], "/v1/some/list"));
    expect(reason(raw([tag, 1, 2]), ["number"])).toMatch(/holds 3 values where this list expects 2/);
    expect(reason(raw([1, 2]), ["number"])).toMatch(/names no list/);
    expect(reason(raw([tag, "x"]), ["number"])).toMatch(/value 1 is not an integer/);
    expect(reason(raw([tag, "a", 1]), ["string", "string"])).toMatch(/value 2 is not a non-empty string/);
    expect(reason(raw([tag, Number.MAX_SAFE_INTEGER + 2]), ["number"])).toMatch(/value 1 is not an integer/);
    expect(reason(encodeCursor([1], "/v1/another/list"), ["number"])).toMatch(/handed out by another list/);
    expect(decodeCursor(raw([1]), ["number"], "/v1/some/list", { untagged: true })).toEqual([1]);
    expect(reason(raw([1]), ["number"])).toMatch(/holds 1 values where this list expects 2/);
  });
});

/** A pull system of the authority behind a contact point of its own, with two messages waiting; its recipient key. */
async function pullSystemWithPost(name: string): Promise<string> {
  const system = must(
    await w.t.call("POST", `${base}/recipient-systems`, w.admin, {
      name,
      protocol: "REST_PULL",
      technicalContact: { name: "T", email: "t@example.dk" },
      businessContactEmail: "b@example.dk",
    }),
    201,
  );
  const cp = must(
    await w.t.call("POST", `${base}/contact-points`, w.admin, {
      name: `${name} CP`,
      recipientSystemId: system.id,
      visible: true,
      audiences: ["authorities"],
    }),
    201,
  );
  const key = must(
    await w.t.call("POST", `${base}/api-keys`, OPERATOR, { role: "recipient", recipientSystemId: system.id, label: name }),
    201,
  ).key;
  await submit(w, 2, cp.id);
  return key;
}
