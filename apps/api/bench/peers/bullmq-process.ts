import { createHmac } from "node:crypto";
import { Agent, request } from "node:http";
import { Queue, Worker } from "bullmq";
import { fullSamples } from "../e2e-parts.ts";

// One side of the BullMQ peer, in its own process: `producer` enqueues N fresh v1.2-full.xml
// bodies with IN_FLIGHT adds at once; `worker` takes them with that concurrency, signs each the
// Standard Webhooks way (node:crypto HMAC) and POSTs it to the receiver. Each prints "ready" and,
// the producer, "start <ms since the epoch>" right before its first add and "done <CPU ms since then>" at the end.
const [mode] = process.argv.slice(2);
const connection = { host: "127.0.0.1", port: Number(process.env.REDIS_PORT), maxRetriesPerRequest: null };
const inFlight = Number(process.env.IN_FLIGHT);

if (mode === "producer") {
  const queue = new Queue("deliveries", { connection });
  await queue.waitUntilReady();
  const bodies = fullSamples(Number(process.env.N));
  const cpu0 = process.cpuUsage();
  console.log(`start ${performance.timeOrigin + performance.now()}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < bodies.length) {
        const i = next++;
        await queue.add("push", { id: crypto.randomUUID(), body: bodies[i] }, { removeOnComplete: true, attempts: 10 });
      }
    }),
  );
  await queue.close();
  const cpu = process.cpuUsage(cpu0);
  console.log(`done ${(cpu.user + cpu.system) / 1000}`);
} else {
  const key = Buffer.from(String(process.env.SECRET).replace(/^whsec_/, ""), "base64");
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const { hostname, port, pathname } = new URL(String(process.env.RECEIVER_URL));
  const worker = new Worker<{ id: string; body: string }>(
    "deliveries",
    async (job) => {
      const body = Buffer.from(job.data.body);
      const ts = Math.floor(Date.now() / 1000);
      const sig = createHmac("sha256", key).update(`${job.data.id}.${ts}.`).update(body).digest("base64");
      await new Promise<void>((resolve, reject) => {
        const req = request({ agent, hostname, port, path: pathname, method: "POST" }, (res) => {
          res.resume();
          res.on("end", () => (res.statusCode === 204 ? resolve() : reject(new Error(`receiver said ${res.statusCode}`))));
        });
        req.on("error", reject);
        req.setHeader("content-type", "application/xml");
        req.setHeader("webhook-id", job.data.id);
        req.setHeader("webhook-timestamp", String(ts));
        req.setHeader("webhook-signature", `v1,${sig}`);
        req.end(body);
      });
    },
    { connection, concurrency: inFlight },
  );
  await worker.waitUntilReady();
  console.log("ready");
  process.on("SIGTERM", () => process.exit(0));
}
