/**
 * The OpenAPI document with every `#/components/schemas/…` $ref replaced by the schema it names,
 * so a test can read a path's schema in place (the contract's schemas have no cycles).
 */
export function inlineRefs(doc: any): any {
  const schemas = doc.components?.schemas ?? {};
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== "object") return v;
    const { $ref, ...rest } = v as Record<string, unknown>;
    if (typeof $ref === "string" && $ref.startsWith("#/components/schemas/")) {
      return { ...(walk(schemas[$ref.slice("#/components/schemas/".length)]) as object), ...(walk(rest) as object) };
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(doc);
}
