import { readFile } from "node:fs/promises";
import { leanWriterMethods } from "./lean-protobuf-writer.ts";

/** The version of `@libsql/hrana-client` whose MessageWriter the lean writer replaces (the one @libsql/client 0.18 brings). */
const HRANA_VERSION = "0.10.0";
const METHODS = ["bytes", "string", "message", "int32", "uint32", "bool", "sint64", "double", "data"] as const;

let installed: Promise<boolean> | undefined;

/**
 * On Node: sets the lean writer's methods (lean-protobuf-writer.ts) on `@libsql/hrana-client`'s
 * protobuf MessageWriter, once per process, so every Hrana request is written into one buffer
 * instead of a buffer per nested message. True when in use; false (and nothing changed) when the
 * installed library is not the version it was made for or its writer looks different.
 */
export function useLeanHranaEncoding(): Promise<boolean> {
  return (installed ??= install().catch(() => false));
}

async function install(): Promise<boolean> {
  const index = new URL(import.meta.resolve("@libsql/hrana-client"));
  const manifest = JSON.parse(await readFile(new URL("../package.json", index), "utf8")) as { version?: string };
  if (manifest.version !== HRANA_VERSION) return false;
  // The same URL the library's own modules import it by: the one module instance they use.
  const encode = (await import(new URL("./encoding/protobuf/encode.js", index).href)) as { MessageWriter?: { prototype: object } };
  const proto = encode.MessageWriter?.prototype as Record<string, unknown> | undefined;
  if (!proto || !METHODS.every((m) => typeof proto[m] === "function")) return false;
  for (const m of METHODS) proto[m] = leanWriterMethods[m];
  return true;
}
