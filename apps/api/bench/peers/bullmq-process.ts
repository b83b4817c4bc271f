import { createServer } from "node:http";
import { Queue, Worker } from "bullmq";
import { fullSamples, signedPost, signedPostTarget } from "../e2e-parts.ts";

// One side of the BullMQ peer, in its own process: `producer` enqueues N fresh v1.2-full.xml
// bodies with IN_FLIGHT adds at once; `http` enqueues what is POSTed to it; `worker` takes them with that concurrency, signs each the
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
} else if (mode === "http") {
  // BullMQ behind an HTTP intake, as postvej takes its messages: a plain node:http server on PORT
  // that reads each POSTed body, enqueues it and answers 202 once Redis has it.
  const queue = new Queue("deliveries", { connection });
  await queue.waitUntilReady();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = crypto.randomUUID();
      queue.add("push", { id, body: Buffer.concat(chunks).toString() }, { removeOnComplete: true, attempts: 10 }).then(
        () => res.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ id })),
        () => res.writeHead(503).end(),
      );
    });
  });
  server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ready"));
  process.on("SIGTERM", () => process.exit(0));
} else {
  const target = signedPostTarget(String(process.env.RECEIVER_URL), String(process.env.SECRET), inFlight);
  const worker = new Worker<{ id: string; body: string }>(
    "deliveries",
    async (job) => {
      await signedPost(target, job.data.id, Buffer.from(job.data.body));
    },
    { connection, concurrency: inFlight },
  );
  await worker.waitUntilReady();
  console.log("ready");
  process.on("SIGTERM", () => process.exit(0));
}
