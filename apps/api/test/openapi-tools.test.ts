// The served /openapi.json checked by real tools, offline: redocly's linter (recommended rules, see
// redocly.yaml) and openapi-typescript, whose named types a tiny client must compile against.
// openapi-typescript is the 6 line on purpose: 7 peers on TypeScript 5 (it prints through that
// compiler's API), which npm would install beside the repository's TypeScript 7 as apps/api's `tsc`.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "./support/test-app.ts";

const run = promisify(execFile);
const API = resolve(import.meta.dirname, "..");
/** No tool may phone home: redocly's telemetry and update check are off (there is no network anyway). */
const OFFLINE = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_UPDATE_NOTIFIER: "1" };
const npx = (args: string[]) => run("npx", ["--no-install", ...args], { cwd: API, env: OFFLINE, timeout: 60_000 });

let dir: string;
let file: string;
let doc: any;

beforeAll(async () => {
  const t = await createTestApp();
  doc = (await t.call("GET", "/openapi.json", null)).json;
  dir = mkdtempSync(join(tmpdir(), "postvej-openapi-"));
  file = join(dir, "openapi.json");
  writeFileSync(file, JSON.stringify(doc, null, 2));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the served OpenAPI document", () => {
  it("passes redocly lint with its recommended rules: no error, no warning", async () => {
    const { stdout } = await npx(["@redocly/cli", "lint", file, "--config", join(API, "redocly.yaml"), "--format", "json"]).catch(
      (e: { stdout?: string; stderr?: string }) => {
        throw new Error(`redocly lint failed:\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
      },
    );
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 90_000);

  it("declares the 4xx of every operation that takes a token or input, as problem+json", () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const fourxx = Object.keys(op.responses).filter((s) => /^4\d\d$/.test(s));
        if (op.security?.length === 0 && !op.parameters && !op.requestBody) continue;
        if (fourxx.length === 0) missing.push(`${method.toUpperCase()} ${path}`);
        for (const s of fourxx)
          expect(Object.keys(op.responses[s].content ?? {}), `${method} ${path} ${s}`).toEqual(["application/problem+json"]);
      }
    }
    expect(missing).toEqual([]);
    expect(doc.paths["/healthz"].get.security).toEqual([]);
    expect(doc.paths["/v1/messages"].post.requestBody.content["application/xml"].schema).toEqual({ type: "string" });
  });

  it("gives openapi-typescript named component types that a client compiles against", async () => {
    const types = join(dir, "postvej.d.ts");
    await npx(["openapi-typescript", file, "--output", types]);
    const generated = readFileSync(types, "utf8");
    for (const name of ["RecipientSystem", "ContactPoint", "Message", "Problem", "AuthorityStatus", "RelocationRequest"]) {
      expect(generated).toMatch(new RegExp(`^    ${name}: \\{`, "m"));
    }
    const client = join(dir, "client.ts");
    writeFileSync(
      client,
      [
        'import type { components, operations, paths } from "./postvej";',
        'type Schemas = components["schemas"];',
        'export const systemName = (s: Schemas["RecipientSystem"]): string => s.name;',
        'export const problemCode = (p: Schemas["Problem"]): string => p.code;',
        'type Status = paths["/v1/authorities/{cvr}/status"]["get"]["responses"][200]["content"]["application/json"];',
        "export const virkCount = (s: Status): number => s.virkCount;",
        'export const body: operations["createContactPoint"]["requestBody"]["content"]["application/json"] = { name: "Løn", recipientSystemId: "rs_1", visible: true, audiences: ["authorities"] };',
        "",
      ].join("\n"),
    );
    const compilerOptions = { noEmit: true, strict: true, target: "es2022", module: "esnext", moduleResolution: "bundler", types: [] };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: [client] }));
    await npx(["tsc", "-p", join(dir, "tsconfig.json")]).catch((e: { stdout?: string }) => {
      throw new Error(`the client snippet does not compile against the generated types:\n${e.stdout ?? ""}`);
    });
  }, 90_000);
});
