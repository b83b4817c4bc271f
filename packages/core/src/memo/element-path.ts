import type { XmlElement } from "./xml-types.ts";

/** XPath-like path of `el`, e.g. `/Message/MessageBody/MainDocument/File[2]/filename` (local names, 1-based index only among same-named siblings). */
export function elementPath(el: XmlElement | null): string {
  let path = "";
  for (let cur = el; cur !== null; cur = cur.parent) {
    let step = cur.local;
    const siblings = cur.parent?.children;
    if (siblings !== undefined) {
      let same = 0;
      let index = 0;
      for (const sib of siblings) {
        if (sib.local === cur.local && sib.ns === cur.ns) {
          same++;
          if (sib === cur) index = same;
        }
      }
      if (same > 1) step += `[${index}]`;
    }
    path = `/${step}${path}`;
  }
  return path === "" ? "/" : path;
}
