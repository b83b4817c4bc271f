import type { ComplexDecl, ElementDecl } from "./schema.ts";
import { collapse } from "./simple-types.ts";
import type { XmlElement } from "./xml-types.ts";

type Json = string | boolean | JsonObject | Json[];
type JsonObject = { [key: string]: Json };

function simpleValue(el: XmlElement, decl: Extract<ElementDecl, { kind: "simple" }>): string | boolean {
  const raw = el.text === "" && decl.defaultValue !== null ? decl.defaultValue : el.text;
  switch (decl.type) {
    case "boolean": {
      const v = collapse(raw);
      return v === "true" || v === "1";
    }
    case "dateTime":
    case "uri":
    case "language":
      return collapse(raw);
    default:
      return raw;
  }
}

/**
 * Turns a schema-valid element into the plain object of the typed model: one key per element
 * name, arrays for repeatable elements. Only call it on a tree that passed validation.
 */
export function buildModel(el: XmlElement, decl: ComplexDecl): JsonObject {
  const out: JsonObject = {};
  for (const p of decl.particles) if (p.max > 1) for (const d of p.decls) out[d.local] = [];
  for (const c of el.children) {
    for (const p of decl.particles) {
      const d = p.decls.find((x) => x.local === c.local && x.ns === c.ns);
      if (d === undefined) continue;
      const value = d.kind === "simple" ? simpleValue(c, d) : buildModel(c, d);
      if (p.max > 1) (out[d.local] as Json[]).push(value);
      else out[d.local] = value;
      break;
    }
  }
  return out;
}
