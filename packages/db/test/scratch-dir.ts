import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A vitest global setup: every temporary file of one test run (databases, mail folders, sqld's and
 * workerd's state, the servers the tests start) goes under one folder of its own, removed when the
 * run ends, so runs do not pile up in the machine's temporary directory. The test processes
 * inherit TMPDIR, and `os.tmpdir()` follows it.
 */
export default function scratchDir(): () => void {
  const root = mkdtempSync(join(tmpdir(), "postvej-test-run-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
