import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Imported first by each bench entry: every database, mail folder, sqld and Redis directory of one
// run (the servers it starts inherit TMPDIR) goes under one folder, removed when the run ends or is
// interrupted, so benches do not fill the disk (a run writes hundreds of MB).
const root = mkdtempSync(join(tmpdir(), "postvej-bench-run-"));
process.env.TMPDIR = root;
const remove = () => rmSync(root, { recursive: true, force: true });
process.on("exit", remove);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    remove();
    process.exit(130);
  });
}
