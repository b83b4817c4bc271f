// The Workers project: tests run inside workerd (Miniflare) against a real sqld started by the
// global setup, with the Worker's wrangler.jsonc (cron, Queue producer + consumer, send_email).
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** The operator token the Workers tests use. */
export const WORKERS_TEST_OPERATOR = "workers-test-operator-0123456789";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        bindings: {
          LIBSQL_URL: inject("libsqlUrl"),
          POSTVEJ_OPERATOR_TOKEN: WORKERS_TEST_OPERATOR,
          // Loopback push endpoints and the simulated clock are refused in production.
          POSTVEJ_ENV: "development",
          POSTVEJ_CLOCK: "simulated",
          POSTVEJ_MAIL_FROM: "postvej@postvej.test",
          // Signing secrets sealed at rest (AES-GCM through workerd's Web Crypto): every push below opens one.
          POSTVEJ_SECRET_KEY: "cG9zdHZlai13b3JrZXJzLXRlc3Qtc2VjcmV0LWtleSE=",
        },
      },
    })),
  ],
  test: {
    include: ["test/workers/**/*.test.ts"],
    globalSetup: ["../../packages/db/test/scratch-dir.ts", "test/workers/global-setup.ts"],
    // One shared sqld and one simulated clock: the files take turns.
    fileParallelism: false,
    testTimeout: 30_000,
  },
});
