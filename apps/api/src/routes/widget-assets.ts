import { Hono, type Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { ApiError } from "../errors.ts";

/** The widget bundle's file name in the widgets' build output (`apps/widgets/dist`, built by `vite build`). */
export const WIDGET_BUNDLE = "postvej-widgets.js";

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");

/**
 * The version in the immutable URL: the first 16 hex digits of the bundle's SHA-256. A content
 * hash, not the package version, so a rebuild that changes a byte changes the URL, and a year-long
 * `immutable` cache can never hold stale code (apps/widgets/scripts/sri.ts prints the same value).
 */
export async function bundleIdentity(bytes: Uint8Array): Promise<{ version: string; etag: string }> {
  const sha = hex(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return { version: sha.slice(0, 16), etag: `"${sha}"` };
}

/** If-None-Match matches (weak comparison, as RFC 9110 asks for this header). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}

/**
 * The widget bundle for portals on any origin, in production as in the demo:
 * `/widgets/<version>/postvej-widgets.js` (immutable, a year) and the alias
 * `/widgets/postvej-widgets.js` (five minutes), both with a strong ETag of the bytes and CORS.
 * The bytes come through the runtime's `widgetAsset` (a file on Node, the static-assets binding
 * on Workers), so both entries answer with the same headers and no node:* is needed here.
 */
export function widgetAssetRoutes() {
  const bundle = async (c: Context<AppEnv>) => {
    const read = c.get("deps").widgetAsset;
    if (!read) throw new ApiError(404, "not_found", "this server does not serve the widget bundle");
    const bytes = await read(WIDGET_BUNDLE);
    if (!bytes)
      throw new ApiError(
        404,
        "not_found",
        `the widget bundle is not built; run npm run build -w @postvej/widgets (npm start and npm run serve do it first)`,
      );
    return { bytes, ...(await bundleIdentity(bytes)) };
  };
  const send = (c: Context<AppEnv>, b: { bytes: Uint8Array; etag: string }, cacheControl: string) => {
    const headers = {
      etag: b.etag,
      "cache-control": cacheControl,
      "access-control-allow-origin": "*",
      "cross-origin-resource-policy": "cross-origin",
      "x-content-type-options": "nosniff",
    };
    if (matches(c.req.header("if-none-match"), b.etag)) return c.body(null, 304, headers);
    return c.body(b.bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, "content-type": "text/javascript; charset=utf-8" });
  };
  return new Hono<AppEnv>()
    .get(`/widgets/${WIDGET_BUNDLE}`, async (c) => send(c, await bundle(c), "public, max-age=300"))
    .get(`/widgets/:version{[0-9a-f]{16}}/${WIDGET_BUNDLE}`, async (c) => {
      const b = await bundle(c);
      if (c.req.param("version") !== b.version)
        throw new ApiError(404, "not_found", `this server serves widget bundle version ${b.version}, not ${c.req.param("version")}`);
      return send(c, b, "public, max-age=31536000, immutable");
    });
}
