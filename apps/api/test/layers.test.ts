// The layers stay apart: core is pure domain on web-standard APIs, db knows nothing of HTTP or the
// apps, the widgets talk to the API over HTTP only (its types from the contract, which needs zod
// alone), and every SQL statement lives in packages/db.
// Reads the source files as text (tests beside the code are not a layer's code and are skipped).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const REPO = resolve(import.meta.dirname, "../../..");

/** The .ts files below `dir` (relative to the repository), tests left out. */
function sources(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(join(REPO, d), { withFileTypes: true }).flatMap((e) => {
      const path = `${d}/${e.name}`;
      if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(path);
      return e.isFile() && path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
    });
  return walk(dir);
}

const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** Every import and re-export in a file: its specifier, whether it is type-only, and its line. */
function imports(text: string): { spec: string; typeOnly: boolean; line: number }[] {
  const found: { spec: string; typeOnly: boolean; line: number }[] = [];
  const statement = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?(?:[^;"'`]*?\s+from\s+)?(["'])([^"']+)\3/g;
  for (const m of text.matchAll(statement)) {
    const at = m.index + m[0].lastIndexOf(m[3]! + m[4]!);
    found.push({ spec: m[4]!, typeOnly: m[2] !== undefined, line: lineOf(text, at) });
  }
  for (const m of text.matchAll(/\bimport\s*\(\s*(["'])([^"']+)\1/g))
    found.push({ spec: m[2]!, typeOnly: false, line: lineOf(text, m.index) });
  return found;
}

/** `file:line: what` for each import of a file below `dir` that `banned` names (its reason). */
function badImports(dir: string, banned: (spec: string, resolved: string | null, typeOnly: boolean) => string | null): string[] {
  return sources(dir).flatMap((file) =>
    imports(readFileSync(join(REPO, file), "utf8")).flatMap(({ spec, typeOnly, line }) => {
      const resolved = spec.startsWith(".") ? relative(REPO, resolve(REPO, dirname(file), spec)) : null;
      const why = banned(spec, resolved, typeOnly);
      return why ? [`${file}:${line}: imports "${spec}" (${why})`] : [];
    }),
  );
}

const named = (spec: string, pkg: string) => spec === pkg || spec.startsWith(`${pkg}/`);
const under = (resolved: string | null, dir: string) => resolved !== null && (resolved === dir || resolved.startsWith(`${dir}/`));

/** Query builder calls and sql templates: SQL that belongs in packages/db. */
const SQL = [
  /\.(?:selectFrom|selectNoFrom|updateTable|insertInto|replaceInto|deleteFrom|mergeInto)\(/,
  /\bsql(?:<[^`\n]*>)?`/,
  /\bsql\.(?:raw|ref|join|lit|id|table|val)\(/,
];

describe("the layers stay apart", () => {
  it("packages/core imports neither the other workspaces, hono, kysely nor node:*", () => {
    expect(
      badImports("packages/core/src", (spec, resolved) => {
        if (["@postvej/db", "@postvej/api", "@postvej/widgets", "hono", "kysely"].some((p) => named(spec, p))) return "core is pure domain";
        if (spec.startsWith("node:")) return "core uses web-standard APIs only";
        if (under(resolved, "apps") || under(resolved, "packages/db")) return "core is pure domain";
        return null;
      }),
    ).toEqual([]);
  });

  it("packages/db imports neither hono nor anything from apps/", () => {
    expect(
      badImports("packages/db/src", (spec, resolved) => {
        if (named(spec, "hono") || spec.startsWith("@hono/")) return "the database knows nothing of HTTP";
        if (named(spec, "@postvej/api") || named(spec, "@postvej/widgets") || under(resolved, "apps"))
          return "the database does not depend on the apps";
        return null;
      }),
    ).toEqual([]);
  });

  it("apps/widgets imports no other workspace but @postvej/contract, and from it types only", () => {
    expect(
      badImports("apps/widgets/src", (spec, resolved, typeOnly) => {
        if (named(spec, "@postvej/contract") || under(resolved, "packages/contract"))
          return typeOnly ? null : "only types from the contract: the bundle carries no zod";
        if (spec.startsWith("@postvej/") || under(resolved, "packages") || under(resolved, "apps/api"))
          return "widgets talk to the API over HTTP; its shapes come from the contract";
        return null;
      }),
    ).toEqual([]);
  });

  it("packages/contract imports nothing but zod", () => {
    expect(
      badImports("packages/contract/src", (spec, resolved) => {
        if (resolved !== null) return under(resolved, "packages/contract/src") ? null : "the contract stands alone";
        return named(spec, "zod") ? null : "the contract depends on zod only";
      }),
    ).toEqual([]);
  });

  it("apps/api has no SQL: no query builder calls, no sql templates, kysely for types only", () => {
    const found = sources("apps/api/src").flatMap((file) => {
      const text = readFileSync(join(REPO, file), "utf8");
      const lines = text
        .split("\n")
        .flatMap((l, i) => (SQL.some((re) => re.test(l)) ? [`${file}:${i + 1}: SQL belongs in packages/db/src/repos: ${l.trim()}`] : []));
      const values = imports(text)
        .filter((x) => named(x.spec, "kysely") && !x.typeOnly)
        .map((x) => `${file}:${x.line}: imports "kysely" for more than types`);
      return [...lines, ...values];
    });
    expect(found).toEqual([]);
  });
});
