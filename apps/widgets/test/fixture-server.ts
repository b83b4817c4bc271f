import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Capability, RelocationRequest, SystemStatus, VirkMessage } from "../src/shared/api-types.ts";
import { CVR, makeStatus, makeTargets, makeTestResult, makeVirk, NOW, type FixtureState } from "./fixture-data.ts";

const bundlePath = new URL("../dist/postvej-widgets.js", import.meta.url);

let startedAt = Date.now();
/** The fixture server's clock: NOW when the fixture started, running with real time (status `now` and token expiry use it). */
function serverNow(): number {
  return Date.parse(NOW) + (Date.now() - startedAt);
}

/** A running fixture: its origin, its state, and how to stop it. */
export interface Fixture {
  origin: string;
  state: FixtureState;
  /** Mints a token (the test page's stand-in for the host portal's backend). */
  mint(capabilities?: Capability[], ttlMs?: number): string;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server answering the panels' API calls with contract-shaped JSON from
 * in-memory state (unit-level stand-in for the API), plus the built bundle and a host page.
 */
export async function startFixture(opts: { virk?: number } = {}): Promise<Fixture> {
  startedAt = Date.now();
  const state: FixtureState = {
    status: makeStatus(),
    targets: makeTargets(),
    virk: makeVirk(opts.virk ?? 120),
    events: [],
    testResult: makeTestResult(),
    relocations: [],
    tokens: new Map(),
    tokenSeq: 0,
    log: [],
    batch: 40,
  };
  state.status.virkCount = state.virk.length;
  const mint = (capabilities: Capability[] = ["view", "relocate", "reactivate"], ttlMs = 15 * 60_000) => {
    const token = `pt_fixture_${++state.tokenSeq}`;
    state.tokens.set(token, { capabilities, expiresAt: new Date(serverNow() + ttlMs).toISOString() });
    return token;
  };
  const server: Server = createServer((req, res) => {
    void handle(state, mint, req, res).catch((e: unknown) => send(res, 500, { title: String(e), status: 500, code: "fixture" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    state,
    mint,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  const problem = status >= 400 && type === "application/json";
  res.writeHead(status, { "content-type": problem ? "application/problem+json" : type });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as unknown) : undefined;
}

function matches(m: VirkMessage, q: URLSearchParams | Record<string, string | undefined>): boolean {
  const get = (k: string) => (q instanceof URLSearchParams ? (q.get(k) ?? undefined) : q[k]);
  const from = get("receivedFrom");
  const to = get("receivedTo");
  const cp = get("originalContactPointId");
  const sender = get("senderId");
  return (
    (!from || m.receivedAt >= from) &&
    (!to || m.receivedAt <= to) &&
    (!cp || m.originalContactPointId === cp) &&
    (!sender || m.senderId === sender)
  );
}

async function handle(state: FixtureState, mint: Fixture["mint"], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://fixture");
  const path = url.pathname;
  const body = req.method === "POST" ? await readBody(req) : undefined;
  const auth = (req.headers.authorization ?? "").replace(/^Bearer /, "");
  state.log.push({ method: req.method ?? "GET", url: path + url.search, body, auth });

  if (path === "/widgets/postvej-widgets.js") return send(res, 200, readFileSync(bundlePath, "utf8"), "text/javascript");
  if (path === "/favicon.ico") return send(res, 204, "", "image/x-icon");
  if (path === "/page.html") return send(res, 200, hostPage(url.searchParams), "text/html; charset=utf-8");
  if (path === "/__fixture/token" && req.method === "POST") {
    const caps = (url.searchParams.get("caps") ?? "view,relocate,reactivate").split(",") as Capability[];
    const token = mint(caps);
    return send(res, 200, { token, expiresAt: state.tokens.get(token)?.expiresAt });
  }
  if (!path.startsWith("/v1/")) return send(res, 404, { title: "Not found", status: 404, code: "not_found" });

  const session = state.tokens.get(auth);
  if (!session || Date.parse(session.expiresAt) <= serverNow()) {
    return send(res, 401, {
      type: "about:blank",
      title: "Unauthorized",
      status: 401,
      code: "unauthorized",
      detail: "token expired or unknown",
    });
  }
  const base = `/v1/authorities/${CVR}`;
  const parts = path.split("/");
  if (path === "/v1/session") {
    return send(res, 200, {
      kind: "portal",
      authorityCvr: CVR,
      capabilities: session.capabilities,
      user: { name: "Test Bruger" },
      expiresAt: session.expiresAt,
      now: new Date(serverNow()).toISOString(),
    });
  }
  if (path === `${base}/status`)
    return send(res, 200, {
      ...state.status,
      now: new Date(serverNow() + (state.domainAheadMs ?? 0)).toISOString(),
      virkCount: state.virk.length,
    });
  if (path.startsWith(`${base}/recipient-systems/`) && req.method === "POST") {
    const sys = state.status.systems.find((s) => s.id === parts[5]);
    // As the API does: every system action needs the `reactivate` capability, and without it the path does not exist.
    if (!sys || !session.capabilities.includes("reactivate")) return send(res, 404, { title: "Not found", status: 404, code: "not_found" });
    if (parts[6] === "reactivate") {
      Object.assign(sys, { state: "active", deactivatedAt: null, deactivationReason: null });
      return send(res, 200, sys);
    }
    if (parts[6] === "test") return send(res, 200, state.testResult);
    if (parts[6] === "retry-now") return retryNow(state, res, sys);
  }
  if (path === `${base}/events`) {
    const type = url.searchParams.get("type");
    const system = url.searchParams.get("recipientSystemId");
    const limit = Number(url.searchParams.get("limit") ?? 50);
    const items = state.events.filter((e) => (!type || e.type === type) && (!system || e.recipientSystemId === system));
    return send(res, 200, { items: items.slice(0, limit), nextCursor: null });
  }
  if (path === `${base}/virk/messages`) {
    const all = state.virk.filter((m) => matches(m, url.searchParams));
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 50), 500);
    const offset = Number(url.searchParams.get("cursor") ?? 0);
    const items = all.slice(offset, offset + limit);
    const nextCursor = offset + limit < all.length ? String(offset + limit) : null;
    return send(res, 200, { items, nextCursor, total: all.length });
  }
  if (path === `${base}/relocation-targets`) return send(res, 200, { items: state.targets });
  if (path === `${base}/relocations` && req.method === "POST") return relocate(state, res, body as RelocationRequest);
  if (path === `${base}/relocations`) {
    const items = [...state.relocations].reverse().map(({ pending: _p, items: _i, ...r }) => r);
    return send(res, 200, { items, nextCursor: null });
  }
  const rel = state.relocations.find((r) => r.id === parts[5]);
  if (rel && path.startsWith(`${base}/relocations/`)) {
    if (parts[6] === "items") {
      const limit = Number(url.searchParams.get("limit") ?? 50);
      const offset = Number(url.searchParams.get("cursor") ?? 0);
      const nextCursor = offset + limit < rel.items.length ? String(offset + limit) : null;
      return send(res, 200, { items: rel.items.slice(offset, offset + limit), nextCursor });
    }
    if (parts[6] === "stop" && req.method === "POST") {
      if (rel.state === "running") {
        // As the API does: what had not moved yet stays in Virk, its items skipped with reason "stopped".
        for (const m of rel.pending) {
          rel.items.push(relocationItem(m, undefined, "skipped", "stopped"));
        }
        Object.assign(rel, { state: "stopped", finishedAt: NOW, skipped: rel.skipped + rel.pending.length, pending: [] });
      }
    } else if (rel.state === "running") {
      advance(state, rel);
    }
    const { pending: _p, items: _i, ...out } = rel;
    return send(res, 200, out);
  }
  return send(res, 404, { title: "Not found", status: 404, code: "not_found" });
}

/** `POST …/retry-now` as the API answers it: 409 for a deactivated or a pull system, else 202 with the post made due (`state.retryMore`: more waiting). */
function retryNow(state: FixtureState, res: ServerResponse, sys: SystemStatus): void {
  const refuse = (code: string, detail: string) => send(res, 409, { type: "about:blank", title: "Conflict", status: 409, code, detail });
  if (sys.state === "deactivated") return refuse("system_deactivated", `recipient system ${sys.id} is deactivated; reactivate it first`);
  if (sys.protocol !== "REST_PUSH") return refuse("not_push_system", `recipient system ${sys.id} is a pull system`);
  const more = state.retryMore ?? false;
  send(res, 202, {
    recipientSystemId: sys.id,
    requestedAt: new Date(serverNow()).toISOString(),
    requestedBy: { kind: "portal_user", name: "Test Bruger" },
    madeDue: more ? 10_000 : sys.undelivered,
    limit: 10_000,
    more,
  });
}

function selected(state: FixtureState, r: RelocationRequest): VirkMessage[] {
  const s = r.selection;
  if (s.messageUUIDs) return state.virk.filter((m) => s.messageUUIDs?.includes(m.messageUUID));
  return state.virk.filter((m) => matches(m, { ...s } as Record<string, string | undefined>));
}

function destination(state: FixtureState, r: RelocationRequest, m: VirkMessage) {
  const orig = r.preferOriginal ? state.targets.find((t) => t.eligible && t.contactPointId === m.originalContactPointId) : undefined;
  return orig ?? state.targets.find((t) => t.eligible && t.contactPointId === r.targetContactPointId);
}

function relocate(state: FixtureState, res: ServerResponse, r: RelocationRequest): void {
  const msgs = selected(state, r);
  const target = state.targets.find((t) => t.contactPointId === r.targetContactPointId && t.eligible);
  if (!target) return send(res, 422, { title: "Invalid target", status: 422, code: "invalid_target" });
  if (r.dryRun) {
    const moves = new Map<
      string,
      { contactPointId: string; contactPointName: string; recipientSystemId: string; recipientSystemName: string; count: number }
    >();
    for (const m of msgs) {
      const d = destination(state, r, m);
      if (!d) continue;
      const e = moves.get(d.contactPointId) ?? {
        contactPointId: d.contactPointId,
        contactPointName: d.name,
        recipientSystemId: d.recipientSystemId,
        recipientSystemName: d.recipientSystemName,
        count: 0,
      };
      e.count++;
      moves.set(d.contactPointId, e);
    }
    return send(res, 200, { dryRun: true, total: msgs.length, moves: [...moves.values()], skipped: [] });
  }
  const rel = {
    id: `rel_${state.relocations.length + 1}`,
    actor: { kind: "portal", name: "Test Bruger" },
    createdAt: NOW,
    selection: r.selection,
    targetContactPointId: target.contactPointId,
    targetContactPointName: target.name,
    preferOriginal: r.preferOriginal ?? false,
    state: "running" as const,
    total: msgs.length,
    moved: 0,
    skipped: 0,
    finishedAt: null,
    pending: msgs,
    items: [],
    request: r,
  };
  state.relocations.push(rel);
  const { pending: _p, items: _i, request: _r, ...out } = rel;
  send(res, 202, out);
}

function advance(state: FixtureState, rel: FixtureState["relocations"][number] & { request?: RelocationRequest }): void {
  const batch = rel.pending.splice(0, state.batch);
  for (const m of batch) {
    const d = rel.request ? destination(state, rel.request, m) : undefined;
    state.virk = state.virk.filter((v) => v.messageUUID !== m.messageUUID);
    rel.items.push(relocationItem(m, d, "moved", null));
    rel.moved++;
  }
  if (rel.pending.length === 0) Object.assign(rel, { state: "finished", finishedAt: NOW });
}

/** A relocation's item for Virk message `m`: moved to `to`, or skipped (no `to`) with `reason`, as the API lists it. */
function relocationItem(m: VirkMessage, to: ReturnType<typeof destination>, outcome: "moved" | "skipped", reason: string | null) {
  return {
    messageUUID: m.messageUUID,
    label: m.label,
    senderId: m.senderId,
    senderLabel: m.senderLabel,
    receivedAt: m.receivedAt,
    fromContactPointId: m.originalContactPointId,
    toContactPointId: to?.contactPointId ?? null,
    toContactPointName: to?.name ?? null,
    toRecipientSystemId: to?.recipientSystemId ?? null,
    outcome,
    reason,
    at: NOW,
  };
}

/** A host page with one or both panels; the token comes from `/__fixture/token` and is refreshed on request. */
function hostPage(q: URLSearchParams): string {
  const lang = q.get("lang") ?? "da";
  const caps = q.get("caps") ?? "view,relocate,reactivate";
  const panels = (q.get("panels") ?? "status,relocation").split(",");
  const extra = q.get("twice") ? `<script type="module" src="/widgets/postvej-widgets.js?copy=2"></script>` : "";
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>Fixture portal</title></head>
<body>
<main>
<h1>Fixture portal</h1>
${panels.includes("status") ? `<postvej-status-panel id="status" api-base="" authority="${CVR}" lang="${lang}" refresh-interval="0"></postvej-status-panel>` : ""}
${panels.includes("relocation") ? `<postvej-relocation-panel id="relocation" api-base="" authority="${CVR}" lang="${lang}" poll-interval="50" page-size="${q.get("pageSize") ?? "25"}"></postvej-relocation-panel>` : ""}
</main>
<script type="module">
  window.tokenEvents = [];
  async function token() {
    const r = await fetch("/__fixture/token?caps=${caps}", { method: "POST" });
    return (await r.json()).token;
  }
  const panels = [...document.querySelectorAll("postvej-status-panel, postvej-relocation-panel")];
  document.addEventListener("postvej-token-expiring", async (e) => {
    window.tokenEvents.push(e.detail);
    e.target.token = await token();
  });
  const t = await token();
  for (const p of panels) { p.apiBase = location.origin; p.token = t; }
</script>
<script type="module" src="/widgets/postvej-widgets.js"></script>
${extra}
</body>
</html>`;
}
