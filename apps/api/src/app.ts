import { Hono } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "./app-env.ts";
import { authenticate } from "./auth.ts";
import { ApiError, notFound, problemResponse } from "./errors.ts";
import { buildOpenApi } from "./openapi.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { authorityRoutes } from "./routes/authorities.ts";
import { contactPointRoutes } from "./routes/contact-points.ts";
import { demoRoutes } from "./routes/demo.ts";
import { widgetAssetRoutes } from "./routes/widget-assets.ts";
import { devRoutes } from "./routes/dev.ts";
import { messageRoutes } from "./routes/messages.ts";
import { metaRoutes } from "./routes/meta.ts";
import { recipientSystemRoutes } from "./routes/recipient-systems.ts";
import { recipientRoutes } from "./routes/recipient.ts";
import { statusRoutes } from "./routes/status.ts";
import { eventLogRoutes } from "./routes/event-log.ts";
import { relocationRoutes } from "./routes/relocations.ts";
import { virkRoutes } from "./routes/virk.ts";
import { systemActionRoutes } from "./routes/system-actions.ts";
import { senderReceiptRoutes } from "./routes/sender-receipts.ts";
import type { Runtime } from "./runtime.ts";

/** The headers of /v1 answers a browser script may read across origins (`Retry-After` of 503s, `WWW-Authenticate` of 401s). */
const EXPOSED_HEADERS = "retry-after, www-authenticate";

/**
 * The one postvej app, used by the Node entry and the Worker entry alike: over the entry's one
 * runtime, or (Workers) the function that finds the runtime of a request's `env`. `readAsset`
 * (files of the widgets package, on Node) serves the demo page.
 */
export function buildApp(
  deps: Runtime | ((env: unknown) => Promise<Runtime>),
  options: { readAsset?: (path: string) => Promise<Uint8Array | null> } = {},
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError((err, c) => problemResponse(c, err));
  app.notFound((c) => problemResponse(c, new ApiError(404, "not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
  app.use("*", async (c, next) => {
    c.set("deps", typeof deps === "function" ? await deps(c.env) : deps);
    await next();
  });
  // Widgets run inside authority portals on other origins; they send bearer tokens, never cookies.
  const preflight = cors({
    origin: "*",
    allowHeaders: ["authorization", "content-type"],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    maxAge: 600,
  });
  app.use("/v1/*", async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    // Prepared before the handler, so its answer is built with the header. (Hono's cors sets it on
    // `c.res` first, and then every answer is copied into a new Response, its body through a stream.)
    c.header("access-control-allow-origin", "*");
    // What a page on another origin may read of an answer beyond the CORS-safelisted headers: when to try again, why a token failed.
    c.header("access-control-expose-headers", EXPOSED_HEADERS);
    // API answers carry keys, secrets and who sent what to whom: no browser or proxy may keep them.
    c.header("cache-control", "no-store");
    await next();
    if (!c.res.headers.has("access-control-allow-origin")) c.header("access-control-allow-origin", "*");
    if (!c.res.headers.has("access-control-expose-headers")) c.header("access-control-expose-headers", EXPOSED_HEADERS);
    if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
  });

  app.route("/", metaRoutes);
  app.route("/", widgetAssetRoutes());
  if (options.readAsset) app.route("/", demoRoutes(options.readAsset));
  // The Worker mounts /v1/dev/* whatever its settings (they come with each request's env): the
  // document lists it only where the simulated clock answers there.
  const openapi = new Map<boolean, unknown>();
  app.get("/openapi.json", (c) => {
    const dev = c.get("deps").config.simulatedClock;
    if (!openapi.has(dev))
      openapi.set(
        dev,
        buildOpenApi(app, { title: "postvej", version: "1" }, (path) => dev || !path.startsWith("/v1/dev/")),
      );
    return c.json(openapi.get(dev) as object);
  });
  const api = new Hono<AppEnv>();
  api.use("/v1/*", authenticate);
  api.use("/v1/authorities/:cvr/*", async (c, next) => {
    // Another tenant's paths look missing before anything else is looked at, the body included.
    const p = c.get("principal");
    if (p.kind !== "operator" && p.authorityCvr !== c.req.param("cvr")) throw notFound(`authority ${c.req.param("cvr")}`);
    // So are they to a sender or recipient key, which has no path here: 404 before its body is read, never 422.
    if (p.kind === "api_key" && p.role !== "admin") throw notFound(`authority ${c.req.param("cvr")}`);
    await next();
    // Any change to an authority's contact structure made here reaches this process's intake at once.
    if (c.req.method !== "GET" && c.res.status < 400) c.get("deps").routing.invalidate(c.req.param("cvr"));
  });
  api.route("/", authorityRoutes);
  api.route("/", apiKeyRoutes);
  api.route("/", recipientSystemRoutes);
  api.route("/", contactPointRoutes);
  api.route("/", systemActionRoutes);
  api.route("/", messageRoutes);
  api.route("/", recipientRoutes);
  api.route("/", statusRoutes);
  api.route("/", eventLogRoutes);
  api.route("/", virkRoutes);
  api.route("/", relocationRoutes);
  api.route("/", senderReceiptRoutes);
  const simulated = typeof deps === "function" ? null : deps.config.simulatedClock;
  if (simulated !== false) {
    api.use("/v1/dev/*", async (c, next) => {
      // As any unknown path answers (the Node server on the real clock has no such route at all).
      if (!c.get("deps").config.simulatedClock)
        throw new ApiError(404, "not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`);
      await next();
    });
    api.route("/", devRoutes);
  }
  app.route("/", api);
  return app;
}
