import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

// `npm run build:node -w @postvej/api [outdir]`: the Node server as plain JavaScript (what `npm start`
// and `serve` run). postvej's own packages are bundled in; every third-party package stays an
// import resolved from node_modules (native libSQL among them). Running compiled JavaScript spares
// each thread Node's TypeScript stripper, ~30 MB of resident memory apiece.
const root = join(import.meta.dirname, "../../..");
const manifests = ["apps/api", "packages/db", "packages/core"].map(
  (p) => JSON.parse(readFileSync(join(root, p, "package.json"), "utf8")) as { dependencies?: Record<string, string> },
);
const thirdParty = [...new Set(manifests.flatMap((m) => Object.keys(m.dependencies ?? {})))].filter((n) => !n.startsWith("@postvej/"));

await build({
  entryPoints: { "node/main": "src/node/main.ts", "node/memo-worker": "src/node/memo-worker.ts" },
  absWorkingDir: join(import.meta.dirname, ".."),
  outdir: process.argv[2] ?? "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  external: thirdParty.flatMap((n) => [n, `${n}/*`]),
  sourcemap: "linked",
  logLevel: "warning",
});
