import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/**
 * Runs the whole build (`npm run build`: the served bundle and its SRI, the npm package's module
 * and declarations) once before the browser tests, so they always test the current source.
 */
export default async function setup(): Promise<void> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  // Vitest sets NODE_ENV=test, which would make Vite pick Lit's development build.
  await promisify(execFile)("npm", ["run", "--silent", "build"], { cwd: root, env: { ...process.env, NODE_ENV: "production" } });
}
