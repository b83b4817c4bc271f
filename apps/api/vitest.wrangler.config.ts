// The wrangler-dev project: the Worker under wrangler's local dev server (workerd) against a real
// sqld, driven by real concurrent HTTP from Node. Each file starts its own stack.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/wrangler-dev/**/*.test.ts"],
    environment: "node",
    // Opens the files' guard (the plain `vitest run` over test/** skips them).
    env: { POSTVEJ_WRANGLER_DEV: "1" },
    // Two cores, one workerd: the files take turns, and the tests within a file build on each other.
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 150_000,
    hookTimeout: 120_000,
    globalSetup: ["../../packages/db/test/scratch-dir.ts"],
  },
});
