// Black box: the Workers entry under `wrangler dev --local` (workerd) against a real sqld, with
// real concurrent HTTP from this process. 200 intakes, 8 in flight, half to a push system and half
// to a pull system, half of each with Content-Length and half streamed (chunked). Every answer is
// 202 or a clear 4xx, the isolate still takes a plain POST afterwards, every accepted push arrives
// at the loopback receiver exactly once with a verifying Standard Webhooks signature, and every
// accepted pull message is pulled exactly once. (issue 10 §0: workerd cancels a request that waits
// on I/O another request owns, so any work one request parks for another to finish fails here.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, agent, must, send } from "./http.ts";
import { memoFor } from "../support/memo-fixtures.ts";
import { type Receiver, startReceiver } from "./receiver.ts";
import { type DevWorker, type Sqld, startDevWorker, startSqld, tearDown, tempDir } from "./stack.ts";

const OPERATOR = "wrangler-dev-operator-0123456789";
const CVR = "34051178";
const TOTAL = 200;
const IN_FLIGHT = 8;
const REQUEST_TIMEOUT_MS = 30_000;
/** The burst stops sending after this long (an isolate that hangs every request must not take 25 × 30 s). */
const BURST_BUDGET_MS = 45_000;
const DELIVERY_DEADLINE_MS = 60_000;

type Target = "push" | "pull";
type Outcome = { i: number; target: Target; chunked: boolean; uuid: string; answer: Answer | null; ms: number };

// Set by vitest.wrangler.config.ts: the plain `vitest run` (test/**) skips this file.
const enabled = process.env.POSTVEJ_WRANGLER_DEV === "1";

describe.skipIf(!enabled)("the Worker under wrangler dev --local, 200 intakes with 8 in flight", () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let sqld: Sqld | undefined;
  let worker: DevWorker | undefined;
  let receiver: Receiver | undefined;
  let base = "";
  let sender = "";
  let recipientKey = "";
  const cp: Record<Target, string> = { push: "", pull: "" };
  const outcomes: Outcome[] = [];
  let afterBurst: Answer | null = null;

  beforeAll(async () => {
    tmp = tempDir("postvej-wrangler-dev-");
    sqld = await startSqld(tmp.path);
    receiver = await startReceiver();
    worker = await startDevWorker(tmp.path, {
      LIBSQL_URL: sqld.url,
      POSTVEJ_OPERATOR_TOKEN: OPERATOR,
      POSTVEJ_ENV: "development",
      POSTVEJ_MAIL_FROM: "postvej@postvej.test",
      // Well inside the client's 30 s: a database that stops answering shows as 503
      // database_unavailable from postvej, not as a request left hanging.
      POSTVEJ_DB_TIMEOUT_MS: "10000",
    });
    base = worker.url;
  }, 120_000);

  afterAll(async () => {
    agent.destroy();
    await tearDown([() => worker?.stop(), () => receiver?.close(), () => sqld?.stop(), () => tmp?.remove()]);
  }, 60_000);

  /** Authority, admin + sender keys, a push system (the receiver) and a pull system with a key, a contact point each. */
  async function seed() {
    const op = { token: OPERATOR };
    await must(201, base, "/v1/authorities", { ...op, method: "POST", body: { cvr: CVR, name: "Wrangler Kommune" } });
    const admin = (
      await must(201, base, `/v1/authorities/${CVR}/api-keys`, { ...op, method: "POST", body: { role: "admin", label: "admin" } })
    ).key as string;
    sender = (
      await must(201, base, `/v1/authorities/${CVR}/api-keys`, { ...op, method: "POST", body: { role: "sender", label: "sender" } })
    ).key as string;
    const contacts = { technicalContact: { name: "Tekniker", email: "tech@fagsystem.test" }, businessContactEmail: "biz@fagsystem.test" };
    const push = await must(201, base, `/v1/authorities/${CVR}/recipient-systems`, {
      token: admin,
      method: "POST",
      body: { name: "Push-system", protocol: "REST_PUSH", endpoint: receiver!.url, memoVersion: "1.2", primary: true, ...contacts },
    });
    receiver!.setSecret(push.signingSecret as string);
    const pull = await must(201, base, `/v1/authorities/${CVR}/recipient-systems`, {
      token: admin,
      method: "POST",
      body: { name: "Pull-system", protocol: "REST_PULL", memoVersion: "1.2", ...contacts },
    });
    recipientKey = (
      await must(201, base, `/v1/authorities/${CVR}/api-keys`, {
        token: admin,
        method: "POST",
        body: { role: "recipient", label: "pull", recipientSystemId: pull.id },
      })
    ).key as string;
    for (const [target, system] of [
      ["push", push],
      ["pull", pull],
    ] as const) {
      cp[target] = (
        await must(201, base, `/v1/authorities/${CVR}/contact-points`, {
          token: admin,
          method: "POST",
          body: { name: `Kontaktpunkt ${target}`, recipientSystemId: system.id, visible: true, audiences: ["citizens_companies"] },
        })
      ).id as string;
    }
  }

  function intake(target: Target, chunked: boolean, timeoutMs = REQUEST_TIMEOUT_MS) {
    const m = memoFor(CVR, { contactPointId: cp[target], valueDate: null });
    return { uuid: m.uuid, answer: send(base, "/v1/messages", { method: "POST", token: sender, body: m.xml, chunked, timeoutMs }) };
  }

  const accepted = (target: Target) => new Set(outcomes.filter((o) => o.target === target && o.answer?.status === 202).map((o) => o.uuid));

  function describeOutcomes(): string {
    const by = new Map<string, number>();
    for (const o of outcomes) {
      const key = o.answer === null ? "not sent" : o.answer.status === 0 ? `no answer (${o.answer.error})` : String(o.answer.status);
      by.set(
        `${o.target}/${o.chunked ? "chunked" : "length"} ${key}`,
        (by.get(`${o.target}/${o.chunked ? "chunked" : "length"} ${key}`) ?? 0) + 1,
      );
    }
    const bodies = new Map<string, number>();
    for (const o of outcomes)
      if (o.answer && (o.answer.status === 0 || o.answer.status >= 500))
        bodies.set(
          o.answer.text.slice(0, 160) || o.answer.error || "",
          (bodies.get(o.answer.text.slice(0, 160) || o.answer.error || "") ?? 0) + 1,
        );
    const errors = new Map<string, number>();
    for (const l of worker?.logs ?? [])
      if (l.level === "error") errors.set(l.message.slice(0, 160), (errors.get(l.message.slice(0, 160)) ?? 0) + 1);
    return [
      ...[...by].sort().map(([k, n]) => `  ${k}: ${n}`),
      ...[...bodies].map(([b, n]) => `  ${n} × ${JSON.stringify(b)}`),
      ...[...errors].slice(0, 5).map(([m, n]) => `  Worker logged ${n} × ${JSON.stringify(m)}`),
    ].join("\n");
  }

  it("answers the isolate's very first requests, 8 at once (one migration, shared), and takes the seed", async () => {
    // Nothing has touched the database yet: these wait together for the isolate's one migration.
    const first = await Promise.all(Array.from({ length: IN_FLIGHT }, () => send(base, "/healthz", { method: "GET" })));
    const statuses = first.map((a) => a.status || a.error);
    console.log(
      `cold isolate, ${IN_FLIGHT} × GET /healthz at once: ${statuses.join(", ")}${first.some((a) => a.status !== 200) ? `\n  ${first.find((a) => a.status !== 200)!.text.slice(0, 160)}` : ""}`,
    );
    expect(statuses).toEqual(first.map(() => 200));
    await seed();
  }, 60_000);

  it("answers every intake 202 or a clear 4xx problem+json: no 5xx, none left hanging", async () => {
    expect(sender, "seeded").not.toBe("");
    const jobs = Array.from({ length: TOTAL }, (_, i) => ({ i, target: (i % 2 === 0 ? "push" : "pull") as Target, chunked: i % 4 >= 2 }));
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let job = jobs[next++]; job; job = jobs[next++]) {
          if (Date.now() - started > BURST_BUDGET_MS) {
            outcomes.push({ ...job, uuid: "", answer: null, ms: 0 });
            continue;
          }
          const t = Date.now();
          const { uuid, answer } = intake(job.target, job.chunked);
          outcomes.push({ ...job, uuid, answer: await answer, ms: Date.now() - t });
        }
      }),
    );
    const elapsed = Date.now() - started;
    const failed = outcomes.filter(
      (o) =>
        !o.answer ||
        o.answer.status === 0 ||
        o.answer.status >= 500 ||
        (o.answer.status !== 202 &&
          !(o.answer.status >= 400 && o.answer.status < 500 && /^application\/problem\+json/.test(o.answer.contentType))),
    );
    const times = outcomes
      .filter((o) => o.answer)
      .map((o) => o.ms)
      .sort((a, b) => a - b);
    // When something failed, ask sqld itself whether it still takes a write: a wedged database and
    // a wedged Worker are different faults.
    const database = failed.length > 0 ? `\n  sqld, asked directly: ${await sqld!.probeWrite()}` : "";
    console.log(
      `burst: ${outcomes.length} intakes in ${elapsed} ms, ${failed.length} not 202/4xx, p50 ${times[Math.floor(times.length / 2)]} ms, max ${times.at(-1)} ms\n${describeOutcomes()}${database}`,
    );
    const line = (o: Outcome) =>
      `#${o.i} ${o.target}${o.chunked ? " chunked" : ""}: ${o.answer ? o.answer.status || o.answer.error : "not sent"}`;
    expect({ failed: failed.length, first: failed.slice(0, 8).map(line) }).toEqual({ failed: 0, first: [] });
    expect(accepted("push").size + accepted("pull").size).toBeGreaterThan(0);
  }, 150_000);

  it("still accepts a plain single POST /v1/messages afterwards", async () => {
    for (const target of ["pull", "push"] as const) {
      const { uuid, answer } = intake(target, false, 15_000);
      afterBurst = await answer;
      outcomes.push({ i: TOTAL, target, chunked: false, uuid, answer: afterBurst, ms: 0 });
      console.log(`after the burst, one POST to ${target}: ${afterBurst.status || afterBurst.error} ${afterBurst.text.slice(0, 160)}`);
      expect(afterBurst.status).toBe(202);
    }
  }, 40_000);

  it("pushes every accepted push message to the receiver exactly once, with a verifying signature", async () => {
    const want = accepted("push");
    const deadline = Date.now() + DELIVERY_DEADLINE_MS;
    let lastTick = 0;
    while (Date.now() < deadline && [...want].some((u) => !receiver!.verified.has(u))) {
      // The Cron Trigger never fires by itself under wrangler dev: run the tick now and then, as the minute would.
      if (Date.now() - lastTick > 5_000) {
        lastTick = Date.now();
        await send(base, "/__scheduled?cron=*+*+*+*+*", { method: "GET", timeoutMs: 20_000 });
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    // A moment more for duplicates to show up.
    await new Promise((r) => setTimeout(r, 1_000));
    const missing = [...want].filter((u) => !receiver!.verified.has(u));
    const twice = [...receiver!.verified].filter(([, n]) => n > 1).map(([u, n]) => `${u} × ${n}`);
    const extra = [...receiver!.verified.keys()].filter((u) => !want.has(u));
    console.log(
      `push: ${want.size} accepted, ${receiver!.verified.size} received verified, ${missing.length} missing, ${twice.length} more than once, ${extra.length} not answered 202 (stored anyway), ${receiver!.rejected.length} signatures refused`,
    );
    expect(receiver!.rejected).toEqual([]);
    expect(twice).toEqual([]);
    expect(missing).toEqual([]);
  }, 90_000);

  it("lets the pull system pull every accepted pull message exactly once, with receipts", async () => {
    const want = accepted("pull");
    const pulled = new Map<string, number>();
    const problems: string[] = [];
    const key = { token: recipientKey };
    const deadline = Date.now() + 45_000;
    for (;;) {
      const list = await send(base, "/v1/recipient/messages?limit=500", { ...key, method: "GET" });
      if (list.status !== 200) {
        problems.push(`list: ${list.status || list.error} ${list.text.slice(0, 160)}`);
        break;
      }
      const items = (list.json.items as { messageUUID: string }[]).map((m) => m.messageUUID);
      if (items.length === 0 || Date.now() > deadline) break;
      let at = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let uuid = items[at++]; uuid; uuid = items[at++]) {
            const body = await send(base, `/v1/recipient/messages/${uuid}`, { ...key, method: "GET" });
            if (body.status !== 200 || !body.text.includes(uuid)) {
              problems.push(`fetch ${uuid}: ${body.status || body.error}`);
              continue;
            }
            pulled.set(uuid, (pulled.get(uuid) ?? 0) + 1);
            const receipt = await send(base, `/v1/recipient/messages/${uuid}/receipt`, {
              ...key,
              method: "POST",
              body: { status: "RECEIVED" },
            });
            if (receipt.status !== 200) problems.push(`receipt ${uuid}: ${receipt.status || receipt.error} ${receipt.text.slice(0, 160)}`);
          }
        }),
      );
    }
    const missing = [...want].filter((u) => !pulled.has(u));
    const twice = [...pulled].filter(([, n]) => n > 1).map(([u, n]) => `${u} × ${n}`);
    const extra = [...pulled.keys()].filter((u) => !want.has(u));
    console.log(
      `pull: ${want.size} accepted, ${pulled.size} pulled, ${missing.length} missing, ${twice.length} more than once, ${extra.length} not answered 202 (stored anyway), ${problems.length} problems${problems.length ? `\n  ${problems.slice(0, 10).join("\n  ")}` : ""}`,
    );
    expect(problems).toEqual([]);
    expect(twice).toEqual([]);
    expect(missing).toEqual([]);
  }, 60_000);
});
