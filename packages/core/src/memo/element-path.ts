import type { XmlElement } from "./xml-types.ts";

/** Per parent: each child's 1-based index among its same-named siblings, 0 when it has none. */
const indexCache = new WeakMap<XmlElement, Int32Array>();

function siblingIndexes(parent: XmlElement): Int32Array {
  let cached = indexCache.get(parent);
  if (cached !== undefined) return cached;
  const kids = parent.children;
  cached = new Int32Array(kids.length);
  const seen = new Map<string, number[]>();
  kids.forEach((k, i) => {
    const key = `${k.ns} ${k.local}`;
    const list = seen.get(key);
    if (list === undefined) seen.set(key, [i]);
    else list.push(i);
  });
  for (const list of seen.values()) if (list.length > 1) list.forEach((childAt, n) => (cached![childAt] = n + 1));
  indexCache.set(parent, cached);
  return cached;
}

/**
 * XPath-like path of `el`, e.g. `/Message/MessageBody/MainDocument/File[2]/filename` (local
 * names, 1-based index only among same-named siblings). Linear in depth after one pass per parent,
 * so reporting many problems in a wide element stays cheap.
 */
export function elementPath(el: XmlElement | null): string {
  let path = "";
  for (let cur = el; cur !== null; cur = cur.parent) {
    let step = cur.local;
    if (cur.parent !== null) {
      const index = siblingIndexes(cur.parent)[cur.position] ?? 0;
      if (index > 0) step += `[${index}]`;
    }
    path = `/${step}${path}`;
  }
  return path === "" ? "/" : path;
}
