import { serve } from "@hono/node-server";
import { Hono } from "hono";

// The floor for intake: a Hono handler on the same Node server that reads the body and answers 202.
const app = new Hono().post("/v1/messages", async (c) => {
  const body = new Uint8Array(await c.req.arrayBuffer());
  return c.json({ ok: true, size: body.length }, 202);
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" });
