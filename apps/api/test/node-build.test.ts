import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoFor } from "./support/memo-fixtures.ts";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const OPERATOR = "op_node_build_test_0123456789abcdef";
const CVR = "29189846";

// What `npm start` and `npm run serve` run: the server compiled to JavaScript, MeMo read on a
// worker thread (the build's own memo-worker.js), the database a libSQL file.
describe("the built Node server (scripts/build-node.ts)", () => {
  let child: ChildProcess;
  let base: string;
  let dir: string;
  let output = "";

  beforeAll(async () => {
    execFileSync(process.execPath, ["scripts/build-node.ts", "dist"], { cwd: apiDir, stdio: "pipe" });
    dir = mkdtempSync(join(tmpdir(), "postvej-build-"));
    const port = 20000 + Math.floor(Math.random() * 20000);
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ["--max-old-space-size=128", "--max-semi-space-size=8", "--v8-pool-size=1", "dist/node/main.js"], {
      cwd: apiDir,
      env: {
        ...process.env,
        PORT: String(port),
        LIBSQL_URL: `file:${join(dir, "b.db")}`,
        POSTVEJ_OPERATOR_TOKEN: OPERATOR,
        POSTVEJ_MAIL_URL: `file:${join(dir, "mail")}`,
        POSTVEJ_PARSE_THREADS: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the built server exited:\n${output}`);
      if (
        await fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 300) throw new Error(`the built server did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60_000);
  afterAll(() => {
    child?.kill();
  });

  const call = async (method: string, path: string, token: string, body?: string, type = "application/json") => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, "content-type": type }, body });
    return { status: res.status, json: (await res.json()) as any };
  };

  it("accepts a full MeMo message read on its worker thread, and refuses a broken one with every issue", async () => {
    expect(output).toContain("postvej is listening on");
    expect((await call("POST", "/v1/authorities", OPERATOR, JSON.stringify({ cvr: CVR, name: "Build" }))).status).toBe(201);
    const sender = (await call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, JSON.stringify({ role: "sender", label: "s" }))).json
      .key as string;
    const { xml, uuid } = memoFor(CVR, { name: "v1.2-full" });
    expect(xml.length).toBeGreaterThan(4096); // past the size read on the main thread
    const accepted = await call("POST", "/v1/messages", sender, xml, "application/xml");
    expect(accepted.status).toBe(202);
    expect(accepted.json).toMatchObject({ messageUUID: uuid.toLowerCase(), state: "in_virk", custodian: { kind: "virk" } });
    const broken = await call(
      "POST",
      "/v1/messages",
      sender,
      xml.replace(uuid, crypto.randomUUID()).replace("<memo:label>", "<memo:label><b>"),
      "application/xml",
    );
    expect(broken.status).toBe(400);
    expect(broken.json.code).toBe("malformed_memo");
    expect((await call("GET", `/v1/messages/${uuid}`, sender)).json.events.map((e: { type: string }) => e.type)).toEqual([
      "received",
      "routed",
      "landed_in_virk",
    ]);
  });

  it("refuses to start on a setting that is not a number, saying which", () => {
    const r = spawnSync(process.execPath, ["dist/node/main.js"], {
      cwd: apiDir,
      env: {
        ...process.env,
        POSTVEJ_PARSE_THREADS: "many",
        POSTVEJ_OPERATOR_TOKEN: OPERATOR,
        LIBSQL_URL: `file:${join(mkdtempSync(join(tmpdir(), "postvej-build-")), "x.db")}`,
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("POSTVEJ_PARSE_THREADS=many is not a whole number from 0 to 64");
  });

  /** The built server run with `env` until it exits by itself (it is meant to refuse to start). */
  const refusedStart = (env: Record<string, string>) =>
    spawnSync(process.execPath, ["dist/node/main.js"], {
      cwd: apiDir,
      env: {
        ...process.env,
        POSTVEJ_OPERATOR_TOKEN: OPERATOR,
        LIBSQL_URL: `file:${join(mkdtempSync(join(tmpdir(), "postvej-build-")), "x.db")}`,
        ...env,
      },
      encoding: "utf8",
      timeout: 30_000,
    });

  it("refuses a word it does not know in one line naming the setting, not a stack trace", () => {
    const r = refusedStart({ POSTVEJ_ENV: "prod" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("postvej: POSTVEJ_ENV=prod is not production or development");
    expect(r.stdout).not.toContain("listening");
  });

  /**
   * The built server on a free port (PORT=0) with `env` over a fresh database, its mail in `dir/<mail>`; resolves
   * once its start lines are out (up to 30 s): the child (kill it), what it printed, and the base URL it took.
   */
  const startServed = async (mail: string, env: Record<string, string> = {}) => {
    const served = spawn(process.execPath, ["dist/node/main.js"], {
      cwd: apiDir,
      env: {
        ...process.env,
        PORT: "0",
        POSTVEJ_OPERATOR_TOKEN: OPERATOR,
        POSTVEJ_PARSE_THREADS: "0",
        LIBSQL_URL: `file:${join(mkdtempSync(join(tmpdir(), "postvej-serve-")), "s.db")}`,
        POSTVEJ_MAIL_URL: `file:${join(dir, mail)}`,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    served.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    const started = Date.now();
    while (!out.includes("operator token") && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 20));
    return { served, out, base: `http://127.0.0.1:${/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]}` };
  };

  it("with PORT=0 prints the port it took, and answers there", async () => {
    const second = await startServed("mail-port0");
    try {
      const port = Number(new URL(second.base).port);
      expect(port).toBeGreaterThan(0);
      expect(second.out).toMatch(new RegExp(`listening on http://127\\.0\\.0\\.1:${port}\\n`));
      expect(second.out).toContain(`health:        http://127.0.0.1:${port}/healthz`);
      expect((await fetch(`${second.base}/healthz`)).status).toBe(200);
    } finally {
      second.served.kill();
    }
  });

  it("says in its start line which environment it runs in: development unless POSTVEJ_ENV=production, which refuses plain http", async () => {
    expect(output).toContain("environment:   development (plain http:// to loopback and private addresses allowed;");
    const real = await startServed("mail-serve", { POSTVEJ_ENV: "production" });
    try {
      expect(real.out).toContain("environment:   production (push endpoints https:// on public addresses only)");
      const at = (method: string, path: string, token: string, body: unknown) =>
        fetch(real.base + path, {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      expect((await at("POST", "/v1/authorities", OPERATOR, { cvr: CVR, name: "Serve" })).status).toBe(201);
      const admin = (
        (await (await at("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, { role: "admin", label: "a" })).json()) as { key: string }
      ).key;
      const plainHttp = await at("POST", `/v1/authorities/${CVR}/recipient-systems`, admin, {
        name: "Sag",
        protocol: "REST_PUSH",
        endpoint: "http://127.0.0.1:9100/postvej",
        memoVersion: "1.2",
        technicalContact: { name: "T", email: "t@example.dk" },
        businessContactEmail: "b@example.dk",
      });
      expect(plainHttp.status).toBe(422);
      expect(((await plainHttp.json()) as { code: string }).code).toBe("invalid_endpoint");
    } finally {
      real.served.kill();
    }
    const dev = await startServed("mail-serve-dev", { POSTVEJ_ENV: "" });
    dev.served.kill();
    expect(dev.out).toContain("environment:   development");
  });

  it("with --demo on an address beyond loopback, warns that the demo page mints portal tokens for anyone", async () => {
    const demo = spawn(process.execPath, [join(apiDir, "dist/node/main.js"), "--demo"], {
      cwd: mkdtempSync(join(tmpdir(), "postvej-demo-host-")),
      env: { ...process.env, PORT: "0", HOST: "0.0.0.0", POSTVEJ_OPERATOR_TOKEN: OPERATOR, POSTVEJ_PARSE_THREADS: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let out = "";
      demo.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      const started = Date.now();
      while (!out.includes("demo sender key") && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 20));
      expect(out).toMatch(
        /warning: \/demo\/\* mints portal tokens for anyone who can reach http:\/\/0\.0\.0\.0:\d+; keep HOST on loopback/,
      );
    } finally {
      demo.kill();
    }
  });

  it("stops with a clear line when its port is taken, before saying it listens or running a job", () => {
    // The port of the server started above, still running.
    const r = refusedStart({ PORT: new URL(base).port, POSTVEJ_MAIL_URL: `file:${join(dir, "mail-second")}` });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      `postvej: cannot listen on 127.0.0.1:${new URL(base).port} (PORT, HOST): listen EADDRINUSE: address already in use 127.0.0.1:${new URL(base).port}`,
    );
    expect(r.stdout).not.toContain("postvej is listening");
    expect(r.stdout).not.toContain("operator token");
  });

  it("stops on SIGTERM after answering what is in flight, and closes the database cleanly", async () => {
    const sender = (await call("POST", `/v1/authorities/${CVR}/api-keys`, OPERATOR, JSON.stringify({ role: "sender", label: "late" }))).json
      .key as string;
    const { xml } = memoFor(CVR, { name: "v1.2-full" });
    const inFlight = call("POST", "/v1/messages", sender, xml, "application/xml");
    await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect((await inFlight).status).toBe(202);
    expect(await exited).toBe(0);
    // Everything is in the database file itself: the write-ahead log was checkpointed and emptied.
    const wal = join(dir, "b.db-wal");
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    expect(statSync(join(dir, "b.db")).size).toBeGreaterThan(17_000);
  });
});
