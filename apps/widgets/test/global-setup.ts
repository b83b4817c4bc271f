import { fileURLToPath } from "node:url";
import { build } from "vite";

/** Builds the bundle once before the browser tests, so they always test the current source. */
export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  // Vitest sets NODE_ENV=test, which would make Vite pick Lit's development build.
  const env = process.env["NODE_ENV"];
  process.env["NODE_ENV"] = "production";
  try {
    await build({ root, configFile: `${root}/vite.config.ts`, mode: "production", logLevel: "warn" });
  } finally {
    process.env["NODE_ENV"] = env;
  }
}
