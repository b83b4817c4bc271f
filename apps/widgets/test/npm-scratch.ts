// A portal project outside the repository that installs the packed @postvej/widgets tarball the
// way a vendor would, builds its page with Vite, and serves it from its own loopback origin.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { promisify } from "node:util";
import { build } from "vite";
import { repoRoot } from "./api-process.ts";

const run = promisify(execFile);
export const widgetsDir = join(repoRoot, "apps/widgets");

/** What `npm pack --json` says of the tarball. */
export type Packed = { filename: string; files: { path: string }[] };

/** `npm pack` into `dir` (its prepack runs the full build, so the tarball holds the current source). */
export async function pack(dir: string): Promise<Packed & { tarball: string }> {
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: widgetsDir, maxBuffer: 16 << 20 });
  // The build's own output comes first; the JSON answer is the last thing printed.
  const packed = (JSON.parse(stdout.slice(stdout.lastIndexOf("\n[") + 1)) as Packed[])[0]!;
  return { ...packed, tarball: join(dir, packed.filename) };
}

/**
 * The lock entries of Lit and its dependencies, copied from the repository's lock: with them npm
 * takes Lit's tarballs from the local cache by their integrity and asks no registry (`--offline`).
 */
function litLock(): Record<string, unknown> {
  const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
  const wanted = /^node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element|@lit-labs\/ssr-dom-shim|@types\/trusted-types)$/;
  return Object.fromEntries(Object.entries(lock.packages).filter(([k]) => wanted.test(k)));
}

/** A fresh portal project in `dir` with the tarball installed from the file, offline. */
export async function installScratch(dir: string, tarball: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const pkg = { name: "scratch-portal", private: true, type: "module", dependencies: { lit: "^3.3.3" } };
  await writeFile(join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  const packages = { "": { name: pkg.name, dependencies: pkg.dependencies }, ...litLock() };
  await writeFile(
    join(dir, "package-lock.json"),
    JSON.stringify({ name: pkg.name, lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  await run("npm", ["install", tarball, "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir });
}

/** The vendor's page: it imports the package by name and names the element class it exports. */
export async function buildPortal(dir: string): Promise<string> {
  await writeFile(
    join(dir, "index.html"),
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Scratch portal</title><link rel="icon" href="data:,"></head>\n` +
      `<body><postvej-status-panel authority="34051178" lang="en"></postvej-status-panel>\n<script type="module" src="./main.js"></script></body></html>\n`,
  );
  await writeFile(
    join(dir, "main.js"),
    `import { PostvejStatusPanel } from "@postvej/widgets";\n` +
      `window.registeredByPackage = customElements.get("postvej-status-panel") === PostvejStatusPanel;\n`,
  );
  const out = join(dir, "public");
  // Vitest sets NODE_ENV=test, which would make Vite pick Lit's development build.
  const env = process.env["NODE_ENV"];
  process.env["NODE_ENV"] = "production";
  try {
    await build({ root: dir, configFile: false, mode: "production", logLevel: "warn", build: { outDir: out, emptyOutDir: true } });
  } finally {
    process.env["NODE_ENV"] = env;
  }
  return out;
}

/** A vendor's tsconfig and a file using the package's types; `tsc` from the repository checks it. */
export async function typecheckPortal(dir: string): Promise<{ ok: boolean; output: string }> {
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        lib: ["ES2023", "DOM", "DOM.Iterable"],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      files: ["check.ts"],
    }),
  );
  await writeFile(
    join(dir, "check.ts"),
    [
      `import { PostvejStatusPanel, type AuthorityStatus, type Page, type VirkMessage } from "@postvej/widgets";`,
      `const panel: PostvejStatusPanel = document.createElement("postvej-status-panel");`,
      `panel.apiBase = "https://postvej.example";`,
      `// @ts-expect-error apiBase is a string, so the types are not \`any\``,
      `panel.apiBase = 1;`,
      `const state: AuthorityStatus["systems"][number]["state"] = "deactivated";`,
      `const page: Page<VirkMessage> = { items: [], nextCursor: null };`,
      `document.addEventListener("postvej-error", (e) => console.log(e.detail.code.toUpperCase(), state, page));`,
      "",
    ].join("\n"),
  );
  return run("npx", ["tsc", "-p", join(dir, "tsconfig.json")], { cwd: repoRoot }).then(
    () => ({ ok: true, output: "" }),
    (err: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` }),
  );
}

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8" };

/** A static file server for `dir` on its own loopback origin. */
export async function serveStatic(dir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const path = normalize(new URL(req.url ?? "/", "http://x").pathname).replace(/^(\.\.[/\\])+/, "");
    const file = join(dir, path === "/" ? "index.html" : path);
    const body = await readFile(file).catch(() => null);
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((r) => server.close(() => r())) };
}
