import { Agent, createServer, request } from "node:http";

/** What a round trip to sqld did, told by the SQL it carried (see `kindOf`). */
export type RoundTripKind = "intake" | "claim" | "bodies" | "outcome" | "other";

/**
 * A pass-through proxy in front of sqld on `port` that counts the HTTP requests (round trips) by
 * what they do. A request that only continues an interactive transaction (BEGIN … COMMIT, carried
 * by its baton) counts for the kind that transaction was first seen doing. Hrana 2 (JSON) and 3
 * (protobuf: SQL texts travel as plain UTF-8 there too) alike.
 */
export async function startCountingProxy(target: string, port: number) {
  const counts: Record<RoundTripKind, number> = { intake: 0, claim: 0, bodies: 0, outcome: 0, other: 0 };
  /** HTTP body bytes to sqld (`sent`) and back (`received`). */
  const bytes = { sent: 0, received: 0 };
  // An interactive transaction's requests, by the baton that continues it: its kind once known, and
  // how many of its requests came before that (BEGIN) and wait to be counted.
  const chains = new Map<string, Chain>();
  const count = (chain: Chain, kind: RoundTripKind | null) => {
    chain.kind ??= kind;
    if (!chain.kind) return void chain.waiting++;
    counts[chain.kind] += chain.waiting + 1;
    chain.waiting = 0;
  };
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const to = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      bytes.sent += body.length;
      const text = body.toString();
      const protobuf = (req.url ?? "").includes("protobuf");
      const baton = batonOf(body, protobuf);
      const chain = (baton && chains.get(baton)) || { kind: null, waiting: 0 };
      if (baton) chains.delete(baton);
      count(chain, kindOf(text));
      const out = request(
        { agent, hostname: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (c: Buffer) => parts.push(c));
          answer.on("end", () => {
            const reply = Buffer.concat(parts);
            bytes.received += reply.length;
            const next = batonOf(reply, protobuf);
            if (next) chains.set(next, chain);
            else if (chain.waiting > 0) counts.other += chain.waiting;
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(reply);
          });
        },
      );
      out.on("error", () => res.writeHead(502).end());
      out.end(body);
    });
  });
  await new Promise<void>((ok) => server.listen(port, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    bytes,
    reset: () => {
      for (const k of Object.keys(counts) as RoundTripKind[]) counts[k] = 0;
      bytes.sent = bytes.received = 0;
    },
    stop: () => new Promise<void>((ok) => server.close(() => ok())).finally(() => agent.destroy()),
  };
}

type Chain = { kind: RoundTripKind | null; waiting: number };

/** The kind of a pipeline request by its statements; null when it carries none that tells. */
function kindOf(text: string): RoundTripKind | null {
  if (/insert into \\?"?messages\\?"?/i.test(text)) return "intake";
  if (/insert into \\?"?attempts\\?"?|SET state = 'delivered'/i.test(text)) return "outcome";
  if (/select \\?"uuid\\?", \\?"body\\?"|SELECT uuid, body|\\?"message_bodies\\?"\.\\?"body\\?"/i.test(text)) return "bodies";
  if (/messages_due_by_system|claim_token = /i.test(text)) return "claim";
  if (/from \\?"recipient_systems\\?" where \\?"state\\?" = \?/i.test(text)) return "claim";
  return null;
}

/** The baton a Hrana pipeline body carries, if any: JSON's `"baton"`, or protobuf's field 1 (sent first). */
function batonOf(body: Buffer, protobuf: boolean): string | undefined {
  if (!protobuf) return /"baton":"([^"]+)"/.exec(body.toString("latin1", 0, 200))?.[1];
  if (body[0] !== 0x0a) return undefined;
  let length = 0;
  let at = 1;
  for (let shift = 0; at < body.length; shift += 7) {
    const byte = body[at++]!;
    length |= (byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  return body.toString("latin1", at, at + length);
}
