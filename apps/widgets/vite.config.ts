import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";
import { collapseTemplates } from "./scripts/collapse-templates.ts";

/**
 * Budget for the three panels (status, relocation, event log) with Lit, gzipped. Issue 13 set 30 KB; the status
 * panel's retry-now action (its button, the answer in words in both languages, its event) did not fit in the 7 bytes
 * left after trimming what could go (shared notices, one plural helper per language, tighter css), so it is
 * 30.25 KB: the least quarter-KB step that holds it.
 */
export const BUDGET_BYTES = 30.25 * 1024;

/**
 * The Worker's static assets (apps/api/wrangler.jsonc, directory dist/) are the served bundle only:
 * the npm package's files in dist/lib and dist/types stay out of the upload.
 */
const ASSETS_IGNORE = "*\n!postvej-widgets.js\n";

/** Prints the gzipped size of the bundle (and fails the build over budget); emits the custom-elements manifest and .assetsignore. */
function sizeAndManifest(): Plugin {
  return {
    name: "postvej-size-and-manifest",
    generateBundle(_options, bundle) {
      this.emitFile({
        type: "asset",
        fileName: "custom-elements.json",
        source: readFileSync(new URL("./custom-elements.json", import.meta.url), "utf8"),
      });
      this.emitFile({ type: "asset", fileName: ".assetsignore", source: ASSETS_IGNORE });
      for (const file of Object.values(bundle)) {
        if (file.type !== "chunk") continue;
        const raw = Buffer.byteLength(file.code);
        const gz = gzipSync(file.code, { level: 9 }).byteLength;
        const kb = (n: number) => (n / 1024).toFixed(1);
        console.log(`\n${file.fileName}: ${kb(raw)} KB raw, ${kb(gz)} KB gzip (budget ${kb(BUDGET_BYTES)} KB)`);
        if (gz > BUDGET_BYTES) this.error(`${file.fileName} is ${kb(gz)} KB gzipped, over the ${kb(BUDGET_BYTES)} KB budget`);
      }
    },
  };
}

/** Our own templates without their source indentation (scripts/collapse-templates.ts): bytes the browser never needed. */
function collapseOwnTemplates(): Plugin {
  return {
    name: "postvej-collapse-templates",
    transform(code, id) {
      return /\/src\/.*\.ts$/.test(id) && !id.includes("node_modules") ? { code: collapseTemplates(code), map: null } : null;
    },
  };
}

export default defineConfig({
  build: {
    lib: {
      entry: "src/index.ts",
      formats: ["es"],
      fileName: () => "postvej-widgets.js",
    },
    target: "es2022",
    minify: true,
    sourcemap: false,
    emptyOutDir: true,
    reportCompressedSize: false,
    // Library mode keeps whitespace for downstream bundlers; this file goes straight to browsers.
    rolldownOptions: { output: { minify: { codegen: true } } },
  },
  // Always Lit's production build, whatever NODE_ENV the build runs under (vitest's `test`, when a
  // test packs the npm package): the served bundle goes straight to browsers.
  resolve: { conditions: ["module", "browser", "production"] },
  plugins: [collapseOwnTemplates(), sizeAndManifest()],
});
