// The repository stands on its own: a fresh clone with nothing beside it passes `npm test`, its
// documents link only to files inside it, and the README's first curl works on a fresh `npm start`.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { startDemoReceiver } from "../src/node/demo-receiver.ts";
import { DEMO_AUTHORITY, seedDemo } from "../src/node/seed-demo.ts";
import { createTestApp } from "./support/test-app.ts";

const REPO = resolve(import.meta.dirname, "../../..");

// Spelled in pieces so that this file does not match itself.
const SIBLING_DIRS = new RegExp(`\\bshared/(?:${["memo", "docs"].join("|")})\\b`);
const PARENT_SHARED = /((?:\.\.\/)+)shared\b/g;

/** The repository's files: tracked ones and new ones not ignored; a walk when this is no git checkout. */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
      cwd: REPO,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return out.split("\0").filter((f) => f.length > 0 && existsSync(join(REPO, f)));
  } catch {
    const skip = new Set([".git", "node_modules", "dist", "data", "artifacts", ".turbo", ".wrangler"]);
    const walk = (dir: string): string[] =>
      readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) => {
        const path = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) return skip.has(e.name) ? [] : walk(path);
        return e.isFile() ? [path] : [];
      });
    return walk("");
  }
}

/** The file's text, or null for binary files. */
function text(path: string): string | null {
  const bytes = readFileSync(join(REPO, path));
  return bytes.includes(0) ? null : bytes.toString("utf8");
}

describe("the repository stands on its own", () => {
  it("reads no MeMo schemas, samples or documents from beside the repository", () => {
    const files = repositoryFiles();
    expect(files).toContain("fixtures/memo/xsd/Version1.2/MeMo_core.xsd");
    const offenders: string[] = [];
    for (const file of files) {
      if (file.startsWith("fixtures/") || file.startsWith("docs/") || file === "package-lock.json") continue;
      const content = text(file);
      if (content === null) continue;
      content.split("\n").forEach((line, i) => {
        let bad = SIBLING_DIRS.test(line);
        // A parent-relative "shared" is fine only where it names a folder of the repository from
        // the file that says it (the widgets' src/shared); anything else points outside or nowhere.
        for (const m of line.matchAll(PARENT_SHARED)) {
          const target = resolve(REPO, dirname(file), `${m[1]}shared`);
          const inside = target.startsWith(REPO + sep) && existsSync(target) && statSync(target).isDirectory();
          if (!inside) bad = true;
        }
        if (bad) offenders.push(`${file}:${i + 1}: ${line.trim().slice(0, 160)}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it("holds the MeMo schemas of both versions and the four official samples", () => {
    const memo = join(REPO, "fixtures/memo");
    for (const f of ["xsd/MeMo_core.xsd", "xsd/Version1.2/MeMo_core.xsd", "README.md"]) expect(existsSync(join(memo, f)), f).toBe(true);
    expect(readdirSync(join(memo, "samples")).sort()).toEqual(["v1.1-full.xml", "v1.1-minimum.xml", "v1.2-full.xml", "v1.2-minimum.xml"]);
  });

  it("links from README.md and docs/ only to files that exist in the repository", () => {
    const documents = [
      "README.md",
      ...readdirSync(join(REPO, "docs"))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `docs/${f}`),
    ];
    const broken: string[] = [];
    for (const doc of documents) {
      for (const m of readFileSync(join(REPO, doc), "utf8").matchAll(/\]\(([^)\s]+)\)/g)) {
        const href = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#")) continue;
        const target = resolve(REPO, dirname(doc), href.split("#")[0]!);
        if (!target.startsWith(REPO + sep) || !existsSync(target)) broken.push(`${doc}: ${href} (${relative(REPO, target)})`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe("examples/messages/letter.xml (the README's first curl)", () => {
  it("is accepted as it is by a server seeded like the demo, routed by its contact point", async () => {
    const letter = readFileSync(join(REPO, "examples/messages/letter.xml"));
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    expect(readme).toContain("--data-binary @examples/messages/letter.xml");

    const t = await createTestApp();
    const receiver = await startDemoReceiver();
    try {
      const seeded = await seedDemo(t.db, receiver, await t.clock.now());
      expect(seeded.authority).toEqual({ cvr: "34051178", name: "Demo Kommune" });
      const borgerservice = seeded.contactPoints.find((cp) => cp.name === "Borgerservice")!;
      const headers = { "content-type": "application/xml" };
      const first = await t.call("POST", "/v1/messages", seeded.senderKey, new Uint8Array(letter), headers);
      expect(first.status, first.text).toBe(202);
      expect(first.json).toMatchObject({
        messageUUID: "3f6c2b1e-8d4a-4c7b-9e2f-5a1d0c9b8e71",
        state: "queued",
        custodian: { kind: "recipient_system", recipientSystemId: "rs_demo_sagssystem" },
        route: { reason: "contact_point", contactPointId: borgerservice.id },
      });
      // The README says so: the same letter again answers 200 with the same message.
      const again = await t.call("POST", "/v1/messages", seeded.senderKey, new Uint8Array(letter), headers);
      expect(again.status).toBe(200);
      expect(again.json.messageUUID).toBe(first.json.messageUUID);
      expect(DEMO_AUTHORITY.cvr).toBe("34051178");
    } finally {
      await receiver.close();
    }
  });
});
