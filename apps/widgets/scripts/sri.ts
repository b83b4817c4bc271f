// Post-build (after `vite build`): prints the bundle's versioned path and its Subresource Integrity
// hash, and writes them to dist/postvej-widgets.integrity.json. Offline: it only reads dist/.
// The version is the first 16 hex digits of the bundle's SHA-256, as the API serves it.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const dist = resolve(process.argv[2] ?? new URL("../dist", import.meta.url).pathname);
const bytes = readFileSync(resolve(dist, "postvej-widgets.js"));
const version = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
const integrity = `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
const path = `/widgets/${version}/postvej-widgets.js`;
writeFileSync(resolve(dist, "postvej-widgets.integrity.json"), JSON.stringify({ path, version, integrity }, null, 2) + "\n");
console.log(`${path}\nintegrity="${integrity}"`);
