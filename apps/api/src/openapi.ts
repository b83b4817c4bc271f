import type { Hono } from "hono";
import { z } from "zod";
import { OPENAPI_META, type OpenApiMeta } from "./validate.ts";

const PROBLEM = {
  type: "object",
  required: ["type", "title", "status", "code", "detail"],
  properties: {
    type: { type: "string" }, title: { type: "string" }, status: { type: "integer" },
    code: { type: "string" }, detail: { type: "string" },
    issues: { type: "array", items: { type: "object", properties: { path: { type: "string" }, code: { type: "string" }, message: { type: "string" } } } },
  },
};

const header = (name: string, description: string, required = true) => ({ name, in: "header", required, description, schema: { type: "string" } });

/** What postvej sends to a REST_PUSH recipient system's endpoint (docs/receiving.md). */
const PUSH_DELIVERY = {
  post: {
    summary: "A MeMo message pushed to a recipient system, signed the Standard Webhooks way",
    security: [],
    parameters: [
      header("webhook-id", "the message UUID (deduplicate on it: delivery is at least once)"),
      header("webhook-timestamp", "Unix seconds when the request was signed"),
      header("webhook-signature", "v1,<base64 HMAC-SHA256 of id.timestamp.body with the system's whsec_ secret>"),
      header("postvej-contact-point-id", "the contact point the message was routed through", false),
      header("postvej-attempt", "1 for the first attempt"),
    ],
    requestBody: { required: true, content: { "application/xml": { schema: { type: "string", description: "the MeMo document exactly as the sender sent it" } } } },
    responses: {
      "2XX": { description: "received (kvittering); anything else, a timeout or a redirect is a failed attempt and is retried" },
      "429": { description: "retried after Retry-After (between 1 s and 1 h)" },
      "503": { description: "retried after Retry-After (between 1 s and 1 h)" },
    },
  },
};

/** Builds the OpenAPI 3.1 document from the routes' own zod schemas and `doc()` notes. */
export function buildOpenApi(app: Hono<any>, info: { title: string; version: string }): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  const byRoute = new Map<string, OpenApiMeta[]>();
  for (const r of app.routes) {
    const meta = (r.handler as { [OPENAPI_META]?: OpenApiMeta })[OPENAPI_META];
    if (!meta || r.method === "ALL") continue;
    const key = `${r.method} ${r.path}`;
    byRoute.set(key, [...(byRoute.get(key) ?? []), meta]);
  }
  for (const [key, metas] of byRoute) {
    const [method, path] = key.split(" ") as [string, string];
    const d = metas.find((m): m is Extract<OpenApiMeta, { kind: "doc" }> => m.kind === "doc");
    const op: Record<string, unknown> = { summary: d?.summary ?? "", tags: d?.tags ?? [] };
    const parameters: unknown[] = [...path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    for (const m of metas) {
      if (m.kind !== "input") continue;
      const schema = z.toJSONSchema(m.schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, unknown>; required?: string[] };
      if (m.target === "json") op.requestBody = { required: true, content: { "application/json": { schema } } };
      if (m.target === "query" || m.target === "header") {
        for (const [name, s] of Object.entries(schema.properties ?? {})) {
          parameters.push({ name, in: m.target, required: schema.required?.includes(name) ?? false, schema: s });
        }
      }
    }
    if (d?.requestBody) op.requestBody = { required: true, description: d.requestBody.description, content: { [d.requestBody.contentType]: {} } };
    if (parameters.length) op.parameters = parameters;
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(d?.responses ?? {})) {
      responses[status] = {
        description: r.description,
        ...(r.schema ? { content: { [r.contentType ?? "application/json"]: { schema: z.toJSONSchema(r.schema, { unrepresentable: "any" }) } } } : {}),
      };
    }
    responses.default = { description: "An error", content: { "application/problem+json": { schema: PROBLEM } } };
    op.responses = responses;
    const oaPath = path.replace(/:(\w+)/g, "{$1}");
    paths[oaPath] = { ...paths[oaPath], [method.toLowerCase()]: op };
  }
  return {
    openapi: "3.1.0",
    info,
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
    webhooks: { memoDelivery: PUSH_DELIVERY },
  };
}
