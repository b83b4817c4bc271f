import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/workers/**", "test/wrangler-dev/**"],
    testTimeout: 30_000,
    globalSetup: ["../../packages/db/test/scratch-dir.ts"],
  },
});
