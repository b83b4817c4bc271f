// Inside workerd: the Worker mounts /v1/dev/* whatever its settings (they arrive with each env), so
// its /openapi.json must say what this env serves: the simulated clock's paths only where
// POSTVEJ_CLOCK=simulated, as the Node server does. A Worker on the real clock (every production
// one) listed POST /v1/dev/clock and answered it 404.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env as rawEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker, { type Env } from "../../src/worker.ts";
import { OPERATOR } from "./in-worker.ts";

const env = rawEnv as unknown as Env;

/** One request to the Worker's fetch handler with `vars` over the test env's (a fresh env: its own runtime). */
async function fetchWith(vars: Record<string, string>, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  // An incoming request as workerd hands it over (the handler's type wants its `cf` properties).
  const request = new Request(`https://postvej.test${path}`, init) as Parameters<typeof worker.fetch>[0];
  const res = await worker.fetch(request, { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

type Doc = { paths: Record<string, unknown>; tags: { name: string }[]; components: { schemas: Record<string, unknown> } };

describe("the Worker's OpenAPI document and its settings", () => {
  it("lists /v1/dev/clock only when the simulated clock answers there", async () => {
    const simulated = (await (await fetchWith({}, "/openapi.json")).json()) as Doc;
    expect(Object.keys(simulated.paths)).toContain("/v1/dev/clock");
    const clock = await fetchWith({}, "/v1/dev/clock", { headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(clock.status).toBe(200);

    const realVars = { POSTVEJ_CLOCK: "real" };
    const real = (await (await fetchWith(realVars, "/openapi.json")).json()) as Doc;
    expect(Object.keys(real.paths).filter((p) => p.startsWith("/v1/dev/"))).toEqual([]);
    expect(real.tags.map((t) => t.name)).not.toContain("dev");
    expect(Object.keys(real.components.schemas)).not.toContain("ClockAdvanceRequest");
    // Everything else is the same document.
    expect(Object.keys(real.paths)).toEqual(Object.keys(simulated.paths).filter((p) => !p.startsWith("/v1/dev/")));
    const refused = await fetchWith(realVars, "/v1/dev/clock", { headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(refused.status).toBe(404);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    // Word for word what the Node server on the real clock answers: the path is not there.
    expect(await refused.json()).toMatchObject({ code: "not_found", detail: "no route for GET /v1/dev/clock" });
  });
});
