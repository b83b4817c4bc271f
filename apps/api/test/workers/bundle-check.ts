// Node side of the Workers tests: bundles src/worker.ts the way wrangler does (esbuild, the
// workerd/worker/browser conditions, cloudflare:* left to the runtime) and lists what the bundle
// would pull in that only Node has. `wrangler deploy --dry-run` does not catch these: without
// nodejs_compat it leaves `node:*` imports in the bundle, and the upload or the first request fails.
import { resolve } from "node:path";
import { build } from "esbuild";

/** What the Worker bundle holds that Workers cannot run, and its size. */
export type BundleReport = { nodeOnlyFiles: string[]; nodeImports: string[]; bytes: number };

// Files documented as Node-only in apps/api (see their first lines).
const NODE_ONLY = [
  /\/src\/node\//,
  /\/src\/mail\/mail-config\.ts$/,
  /\/src\/mail\/smtp-transport\.ts$/,
  /\/src\/mail\/file-transport\.ts$/,
  /\/node_modules\/nodemailer\//,
  /\/packages\/db\/src\/client-node\.ts$/,
];

export async function checkWorkerBundle(apiDir: string): Promise<BundleReport> {
  const result = await build({
    entryPoints: [resolve(apiDir, "src/worker.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    external: ["cloudflare:*", "node:*"],
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(p));
  const nodeImports = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imp of input.imports)
      if (imp.path.startsWith("node:") || (imp.external && !imp.path.startsWith("cloudflare:"))) nodeImports.add(imp.path);
  }
  return {
    nodeOnlyFiles: inputs.filter((p) => NODE_ONLY.some((re) => re.test(p))),
    nodeImports: [...nodeImports].sort(),
    bytes: result.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0),
  };
}
