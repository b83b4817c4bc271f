import { defineConfig } from "vite";

/**
 * The npm package's ES module (dist/lib/index.js): Lit stays an import, a dependency the portal's
 * own bundler resolves and dedupes. The self-contained bundle the API serves is vite.config.ts's.
 */
export default defineConfig({
  build: {
    lib: {
      entry: "src/index.ts",
      formats: ["es"],
      fileName: () => "index.js",
    },
    outDir: "dist/lib",
    target: "es2022",
    minify: false,
    sourcemap: false,
    emptyOutDir: true,
    reportCompressedSize: false,
    rolldownOptions: { external: [/^lit(\/|$)/, /^@lit\//] },
  },
});
