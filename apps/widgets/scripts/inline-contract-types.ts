// Post-build (after `tsc -p tsconfig.build.json` wrote dist/types): makes the declarations
// self-contained for the npm package. @postvej/contract is not published, so every type the
// widgets take from it is written out structurally (the TypeScript checker prints it) into
// dist/types/contract.d.ts, and the imports point there; relative `.ts` specifiers become `.js`.
// Fails when a declaration still names a workspace package.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { format } from "prettier";
import { API } from "typescript/unstable/sync";

const root = resolve(import.meta.dirname, "..");
const types = join(root, "dist/types");
const contract = join(types, "contract.d.ts");
const CONTRACT = "@postvej/contract";
/** TypeFormatFlags.NoTruncation | TypeFormatFlags.InTypeAlias: the whole structure, not the alias's name. */
const EXPAND = 1 | (1 << 23);

/** tsc's declarations (contract.d.ts, this script's own, left out). */
const declarations = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".d.ts"))
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => f !== contract);

/** The names each source file takes from the contract (`import type { A }`, `export type { B }`). */
function contractNames(text: string): string[] {
  const statements = text.matchAll(/(?:import|export)\s+type\s*\{([^}]*)\}\s*from\s*"@postvej\/contract"/g);
  return [...statements].flatMap((m) => (m[1] ?? "").split(",").map((s) => s.trim().split(/\s+as\s+/)[0]!)).filter(Boolean);
}

/** A generic contract type (the checker would print its body with its parameters unbound): its one-line declaration, from the contract's source. */
function genericDeclaration(name: string): string | undefined {
  const dir = resolve(root, "../../packages/contract/src");
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), "utf8");
    if (!text.includes(`export type ${name}<`)) continue;
    const m = new RegExp(`^export type ${name}<[^\\n]*;$`, "m").exec(text);
    if (!m) throw new Error(`${name}: a generic contract type declared over several lines; write it on one`);
    return m[0];
  }
  return undefined;
}

const api = new API({ cwd: root });
const project = api.updateSnapshot({ openProjects: [join(root, "tsconfig.json")] }).getProjects()[0]!;
const printed = new Map<string, string>();
const users: string[] = [];
for (const file of declarations(types)) {
  const source = join(root, "src", relative(types, file).replace(/\.d\.ts$/, ".ts"));
  const text = readFileSync(source, "utf8");
  const names = contractNames(text);
  if (names.length === 0) continue;
  users.push(file);
  for (const name of names) {
    if (printed.has(name)) continue;
    const generic = genericDeclaration(name);
    if (generic) {
      printed.set(name, generic);
      continue;
    }
    const at = new RegExp(`\\b${name}\\b(?=[^;]*from\\s*"@postvej/contract")`).exec(text)!.index;
    const type = project.checker.getTypeAtPosition(source, at);
    if (!type) throw new Error(`${name}: no type at ${source}:${at}`);
    const body = project.checker.typeToString(type, undefined, EXPAND);
    printed.set(name, `export type ${name} = ${body};`);
  }
}
api.close();

const header = `// The ${CONTRACT} types the widgets use (the API's answers and requests), written out by scripts/inline-contract-types.ts.\n`;
writeFileSync(contract, await format(header + [...printed.values()].join("\n"), { parser: "typescript", printWidth: 140 }));

for (const file of declarations(types)) {
  let text = readFileSync(file, "utf8").replace(/("\.{1,2}\/[^"]*)\.ts"/g, '$1.js"');
  if (users.includes(file)) {
    const to = relative(dirname(file), contract).replace(/\.d\.ts$/, ".js");
    text = text.replaceAll(`"${CONTRACT}"`, `"${to.startsWith(".") ? to : `./${to}`}"`);
  }
  if (/"@postvej\/|\.ts"/.test(text)) throw new Error(`${relative(root, file)} still names a workspace package or a .ts file`);
  writeFileSync(file, text);
}
console.log(`dist/types: ${printed.size} contract types written out into contract.d.ts`);
