import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (the API is started from there). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** The API's Node entry. */
export const apiMain = join(repoRoot, "apps/api/src/node/main.ts");
const OPERATOR_TOKEN = "op_widgets_e2e_0123456789abcdef";

/** A running API child process with the demo seeded. */
export interface RunningApi {
  origin: string;
  senderKey: string;
  adminKey: string;
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts `npx node apps/api/src/node/main.ts --demo` on a free loopback port with a fresh database, and waits for /healthz. */
export async function startApi(): Promise<RunningApi> {
  const dir = mkdtempSync(join(tmpdir(), "postvej-widgets-e2e-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let out = "";
  const child: ChildProcess = spawn("npx", ["node", apiMain, "--demo"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: String(port),
      HOST: "127.0.0.1",
      LIBSQL_URL: `file:${join(dir, "e2e.db")}`,
      POSTVEJ_CLOCK: "simulated",
      POSTVEJ_OPERATOR_TOKEN: OPERATOR_TOKEN,
      POSTVEJ_MAIL_URL: `file:${join(dir, "mail")}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    // The child is npx; signal its whole process group so the node process under it stops too.
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok && /demo sender key/.test(out)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not become healthy within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const key = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(out)?.[1] ?? "";
  return { origin, senderKey: key("demo sender key"), adminKey: key("demo admin key"), output: () => out, stop };
}

/**
 * The official v1.2 minimum sample readdressed to an authority's contact point, with a fresh UUID and
 * a label (and, when given, another Sender: its CVR and label).
 */
export function memo(
  cvr: string,
  contactPointId: string | null,
  label: string,
  sender?: { cvr: string; label: string },
): { xml: string; uuid: string } {
  const uuid = crypto.randomUUID();
  let xml = readFileSync(join(repoRoot, "fixtures/memo/samples/v1.2-minimum.xml"), "utf8");
  if (sender) {
    xml = xml.replace(
      /(<memo:Sender>\s*<memo:senderID>)[^<]*(<\/memo:senderID>[\s\S]*?<memo:label>)[^<]*(<\/memo:label>)/,
      `$1${sender.cvr}$2${sender.label}$3`,
    );
  }
  xml = xml.replace(/(<memo:messageUUID>)[^<]*(<\/memo:messageUUID>)/, `$1${uuid}$2`);
  xml = xml.replace(/(<memo:MessageHeader>[\s\S]*?<memo:label>)[^<]*(<\/memo:label>)/, `$1${label}$2`);
  const cp = contactPointId
    ? `\n\t\t\t<memo:ContactPoint><memo:contactPointID>${contactPointId}</memo:contactPointID></memo:ContactPoint>`
    : "";
  xml = xml.replace(
    /<memo:Recipient>\s*<memo:recipientID>[^<]*<\/memo:recipientID>\s*<memo:idType>[^<]*<\/memo:idType>/,
    `<memo:Recipient>\n\t\t\t<memo:recipientID>${cvr}</memo:recipientID>\n\t\t\t<memo:idType>CVR</memo:idType>${cp}`,
  );
  return { xml, uuid };
}
