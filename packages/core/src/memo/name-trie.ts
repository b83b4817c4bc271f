import type { SplitName } from "./xml-chars.ts";

/**
 * A node of the element-name trie. Most nodes have one child (names share long runs such as
 * "memo:Message"), kept in `code1`/`kid1`; branching nodes get a table indexed by character code.
 */
type NameNode = {
  code1: number;
  kid1: NameNode | null;
  table: (NameNode | undefined)[] | null;
  qname: string | null;
  split: SplitName | null;
};

const MAX_NODES = 20_000;
const newNode = (): NameNode => ({ code1: -1, kid1: null, table: null, qname: null, split: null });
const root: NameNode = newNode();
let nodes = 1;

/** A known element name found in the source, without slicing or hashing it. */
export type KnownName = { qname: string; split: SplitName; end: number };

/**
 * Reads the element name starting at `from` in `s` by walking a trie of names seen before, so a
 * repeated name costs one step per character and no new string. Returns null for a name not
 * seen yet (the caller then slices it, validates it and calls `rememberName`).
 */
export function readKnownName(s: string, from: number): KnownName | null {
  let node: NameNode = root;
  let p = from;
  const len = s.length;
  for (; p < len; p++) {
    const c = s.charCodeAt(p);
    if (c === 0x3e || c === 0x2f || c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) break;
    let next: NameNode | null | undefined = null;
    if (node.code1 === c) next = node.kid1;
    else if (node.table !== null && c < 128) next = node.table[c];
    if (next === null || next === undefined) return null;
    node = next;
  }
  return node.qname !== null && node.split !== null ? { qname: node.qname, split: node.split, end: p } : null;
}

/** Adds a valid, printable-ASCII element name to the trie (bounded in size). */
export function rememberName(qname: string, split: SplitName): void {
  if (nodes + qname.length > MAX_NODES || !/^[\x21-\x7e]+$/.test(qname)) return;
  let node = root;
  for (let i = 0; i < qname.length; i++) {
    const c = qname.charCodeAt(i);
    let next: NameNode | null | undefined = node.code1 === c ? node.kid1 : node.table?.[c];
    if (next === null || next === undefined) {
      next = newNode();
      nodes++;
      if (node.kid1 === null) {
        node.code1 = c;
        node.kid1 = next;
      } else {
        node.table ??= [];
        node.table[c] = next;
      }
    }
    node = next;
  }
  node.qname = qname;
  node.split = split;
}
