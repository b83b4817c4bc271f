// worker-configuration.d.ts (the Worker's `Env`) is generated from wrangler.jsonc by
// `npm run types:worker`; this fails when wrangler.jsonc changed and the file was not regenerated.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const apiDir = fileURLToPath(new URL("..", import.meta.url));

describe("worker-configuration.d.ts", () => {
  it("is what `wrangler types` makes of wrangler.jsonc now", async () => {
    const run = await promisify(execFile)("npm", ["run", "--silent", "types:worker", "--", "--check"], { cwd: apiDir }).then(
      () => ({ ok: true, output: "" }),
      (err: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` }),
    );
    expect(run.output).toBe("");
    expect(run.ok).toBe(true);
  });
});
