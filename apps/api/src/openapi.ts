import { Problem, PushBusinessReceipt, SenderReceipt } from "@postvej/contract";
import type { Hono } from "hono";
import { z } from "zod";
import { MAX_JSON_BODY_BYTES } from "./json-body.ts";
import { OPENAPI_META, type OpenApiMeta } from "./validate.ts";

type Json = Record<string, unknown>;
type Doc = Extract<OpenApiMeta, { kind: "doc" }>;

/**
 * zod to JSON Schema for the document. A schema named in the contract (`meta({ id })`) lands once
 * in components.schemas and is referenced with $ref wherever it is used.
 */
class Components {
  readonly schemas: Record<string, Json> = {};

  of(schema: z.ZodType, io: "input" | "output"): Json {
    const {
      $schema: _,
      $defs,
      ...root
    } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json & { $defs?: Record<string, Json> };
    for (const [id, def] of Object.entries($defs ?? {})) {
      const named = toComponentRefs(def);
      const before = this.schemas[id];
      if (before && JSON.stringify(before) !== JSON.stringify(named)) {
        throw new Error(`schema ${id} reads differently as a request and as an answer: give each its own name in @postvej/contract`);
      }
      this.schemas[id] = named;
    }
    return toComponentRefs(root);
  }
}

const toComponentRefs = (schema: Json): Json =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;

const header = (name: string, description: string, required = true) => ({
  name,
  in: "header",
  required,
  description,
  schema: { type: "string" },
});

/** What postvej sends to a REST_PUSH recipient system's endpoint (docs/receiving.md). */
const PUSH_DELIVERY = {
  post: {
    operationId: "receiveMemoPush",
    summary: "A MeMo message pushed to a recipient system, signed the Standard Webhooks way",
    security: [],
    parameters: [
      header("webhook-id", "the message UUID (deduplicate on it: delivery is at least once)"),
      header("webhook-timestamp", "Unix seconds when the request was signed"),
      header("webhook-signature", "v1,<base64 HMAC-SHA256 of id.timestamp.body with the system's whsec_ secret>"),
      header("postvej-contact-point-id", "the contact point the message was routed through", false),
      header("postvej-attempt", "1 for the first attempt"),
    ],
    requestBody: {
      required: true,
      content: {
        "application/xml": {
          schema: {
            type: "string",
            description:
              "the MeMo document as the sender sent it, in the recipient system's memoVersion (converted 1.1 ↔ 1.2 when they differ)",
          },
        },
      },
    },
    responses: {
      "2XX": {
        description:
          "received (kvittering); anything else, a timeout or a redirect is a failed attempt and is retried. A JSON body with `receiptStatus` is the system's business receipt, recorded like a pull receipt (INVALID / NOT_ALLOWED: a refusal, never retried) and relayed to the sender",
        content: { "application/json": { schema: { $ref: "#/components/schemas/PushBusinessReceipt" } } },
      },
      "429": { description: "retried after Retry-After (between 1 s and 1 h)" },
      "503": { description: "retried after Retry-After (between 1 s and 1 h)" },
    },
  },
};

const TAGS: Record<string, string> = {
  meta: "Health and this document (no token)",
  operator: "Authorities and their API keys",
  widgets: "Portal tokens and the caller's session, for the widgets",
  "contact structure": "Recipient systems and contact points of an authority",
  messages: "Intake, reading and recall of MeMo messages (sender keys)",
  pull: "The pull protocol of a REST_PULL recipient system (recipient keys)",
  status: "Delivery status, event log and e-mail log of an authority",
  virk: "The authority's Virk mailbox",
  relocation: "Moving post out of the Virk mailbox",
  dev: "The simulated clock (only with POSTVEJ_CLOCK=simulated)",
  receipts: "Receipts back to the sender: a receipt endpoint and the pull feed (sender keys)",
};

/** What postvej sends to a sender key's receipt endpoint (docs/sending.md). */
const receiptPush = (components: Components) => ({
  post: {
    operationId: "receiveSenderReceipt",
    summary: "A receipt pushed to a sender's receipt endpoint (PUT /v1/receipt-endpoint), signed the Standard Webhooks way",
    security: [],
    parameters: [
      header("webhook-id", "the receipt's id (rct_…): deduplicate on it, delivery is at least once"),
      header("webhook-timestamp", "Unix seconds when the request was signed"),
      header("webhook-signature", "v1,<base64 HMAC-SHA256 of id.timestamp.body with the endpoint's whsec_ secret>"),
    ],
    requestBody: { required: true, content: { "application/json": { schema: components.of(SenderReceipt, "output") } } },
    responses: {
      "2XX": {
        description: "received; anything else, a timeout or a redirect is retried on the delivery schedule (30 s … 4 h), 10 tries in all",
      },
    },
  },
});

/** Builds the OpenAPI 3.1 document from the routes' contract schemas and `doc()` notes; `served` leaves out the paths it refuses. */
export function buildOpenApi(
  app: Hono<any>,
  info: { title: string; version: string },
  served: (path: string) => boolean = () => true,
): unknown {
  const components = new Components();
  const problem = (description: string) => ({
    description,
    content: { "application/problem+json": { schema: components.of(Problem, "output") } },
  });
  const paths: Record<string, Record<string, unknown>> = {};
  const byRoute = new Map<string, OpenApiMeta[]>();
  for (const r of app.routes) {
    const meta = (r.handler as { [OPENAPI_META]?: OpenApiMeta })[OPENAPI_META];
    if (!meta || r.method === "ALL" || !served(r.path)) continue;
    const key = `${r.method} ${r.path}`;
    byRoute.set(key, [...(byRoute.get(key) ?? []), meta]);
  }
  for (const [key, metas] of byRoute) {
    const [method, path] = key.split(" ") as [string, string];
    const d = metas.find((m): m is Doc => m.kind === "doc");
    if (!d) continue; // validated but undocumented: the demo's own controls, no part of the API
    const op: Record<string, unknown> = {
      operationId: d.operationId,
      summary: d.summary,
      tags: d.tags,
      ...(d.public ? { security: [] } : {}),
    };
    const parameters: Json[] = [...path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const problems = new Map<number, string[]>();
    const note = (status: number, text: string) => problems.set(status, [...(problems.get(status) ?? []), text]);
    if (!d.public) note(401, "`unauthorized`: the token is missing, unknown, revoked or expired");
    for (const m of metas) {
      if (m.kind !== "input") continue;
      const schema = components.of(m.schema, "input");
      if (m.target === "json") {
        // A body every field of which may be left out may be left out itself (the validator reads none as {}).
        op.requestBody = { required: !m.schema.safeParse({}).success, content: { "application/json": { schema } } };
        note(422, "`invalid_input` (a field fails its schema; `issues` names each) or `malformed_json`");
        note(413, `\`payload_too_large\`: the JSON body is larger than ${MAX_JSON_BODY_BYTES / 1048576} MB`);
        note(415, "`unsupported_media_type`: a body not sent as `application/json`");
        note(
          408,
          "`request_timeout`: the body paused longer than the idle timeout or took longer than the body deadline (the connection is closed)",
        );
      }
      if (m.target === "query" || m.target === "header") {
        const { properties = {}, required = [] } = schema as { properties?: Record<string, Json>; required?: string[] };
        for (const [name, s] of Object.entries(properties))
          parameters.push({ name, in: m.target, required: required.includes(name), schema: s });
        if (m.target === "query")
          note(
            422,
            `\`invalid_input\`: ${Object.keys(properties).length > 0 ? "a query parameter fails its schema, or " : ""}a query parameter it does not name`,
          );
        if (m.target === "query" && "cursor" in properties)
          note(
            400,
            "`bad_cursor`: the cursor is not one this list handed out; `cursor_from_another_list`: another list (path, pull system or sender key) handed it out",
          );
      }
    }
    if (d.requestBody)
      op.requestBody = {
        required: true,
        description: d.requestBody.description,
        content: { [d.requestBody.contentType]: { schema: { type: "string" } } },
      };
    if (parameters.length) op.parameters = parameters;
    for (const [status, text] of Object.entries(d.problems ?? {})) note(Number(status), text);
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(d.responses)) {
      const contentType = r.contentType ?? "application/json";
      const schema = r.schema ? components.of(r.schema, "output") : { type: "string" };
      responses[status] = { description: r.description, ...(r.schema || r.contentType ? { content: { [contentType]: { schema } } } : {}) };
    }
    for (const [status, texts] of [...problems].sort(([a], [b]) => a - b)) responses[status] ??= problem(texts.join("; "));
    responses.default = problem("An error");
    op.responses = responses;
    const oaPath = path.replace(/:(\w+)/g, "{$1}");
    paths[oaPath] = { ...paths[oaPath], [method.toLowerCase()]: op };
  }
  // PUSH_DELIVERY's 2XX answer refers to it.
  components.of(PushBusinessReceipt, "output");
  const tags = [...new Set(Object.values(paths).flatMap((ops) => Object.values(ops).flatMap((op) => (op as { tags: string[] }).tags)))];
  return {
    openapi: "3.1.0",
    info: {
      ...info,
      description: "The authority side of Danish Digital Post. Generated from @postvej/contract and the routes; see docs/api.md.",
    },
    servers: [{ url: "/", description: "the postvej that serves this document" }],
    tags: tags.map((name) => ({ name, description: TAGS[name] ?? name })),
    security: [{ bearer: [] }],
    paths,
    webhooks: { memoDelivery: PUSH_DELIVERY, senderReceipt: receiptPush(components) },
    components: { schemas: components.schemas, securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
  };
}
