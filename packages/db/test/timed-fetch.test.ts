import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timedFetch } from "../src/timed-fetch.ts";
import { freePort } from "./sqld.ts";

let server: Server;
let url: string;
const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
beforeAll(async () => {
  const port = await freePort();
  server = createServer(async (req, res) => {
    let body = "";
    for await (const c of req) body += String(c);
    seen.push({ headers: req.headers, body });
    res.end("ok");
  });
  await new Promise<void>((ok) => server.listen(port, "127.0.0.1", ok));
  url = `http://127.0.0.1:${port}/v2/pipeline`;
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
});

/** A request as the Hrana client builds it: a Request with its own headers and body. */
const hranaRequest = () =>
  new Request(url, { method: "POST", headers: { "content-type": "application/x-protobuf", authorization: "Bearer t" }, body: "hi" });

describe("timedFetch", () => {
  it("passes the request's headers and body on, leaving the encoding to fetch", async () => {
    seen.length = 0;
    expect(await (await timedFetch(5_000)(hranaRequest())).text()).toBe("ok");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers["accept-encoding"]).not.toBe("identity");
    expect(seen[0]!.headers["content-type"]).toBe("application/x-protobuf");
    expect(seen[0]!.headers.authorization).toBe("Bearer t");
    expect(seen[0]!.body).toBe("hi");
  });
});
