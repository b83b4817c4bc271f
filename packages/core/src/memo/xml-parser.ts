import { isBlank, isXmlName, isXmlSpace, splitQName, FORBIDDEN_CHAR_RE, type SplitName } from "./xml-chars.ts";
import { readKnownName, rememberName } from "./name-trie.ts";
import { decodeReferences, XmlReferenceError } from "./xml-entities.ts";
import { MEMO_NS, XSI_NS } from "./namespaces.ts";
import { isUriReference } from "./any-uri.ts";
import { elementPath } from "./element-path.ts";
import type { MemoIssue, MemoIssueCode } from "./issues.ts";
import type { MemoLimits } from "./limits.ts";
import type { XmlAttribute, XmlElement } from "./xml-types.ts";

const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";
const DECL_RE =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(?:yes|no)\4)?[ \t\r\n]*\?>$/;
const NO_ATTRIBUTES: XmlAttribute[] = [];

/**
 * The namespace declarations of one element (prefix → URI, "" for the default namespace), linked to
 * the nearest ancestor's. One node per declaring element, so a lookup takes at most `maxDepth`
 * map probes however many declarations the document makes.
 */
type Scope = { decls: Map<string, string>; next: Scope | null };

/** Up to this many attributes on one element, duplicates are found by comparing pairs; above it, by a set. */
const PAIRWISE_ATTRIBUTES = 8;

/** Result of parsing: the root element, or the issues that stopped the parser. */
export type ParseXmlResult = { ok: true; root: XmlElement } | { ok: false; issues: MemoIssue[] };

/** Unwinds the parser at the first fatal error. Not an Error: no stack trace to capture on hostile input. */
class ParseStop {
  readonly issues: MemoIssue[];
  constructor(issues: MemoIssue[]) {
    this.issues = issues;
  }
}

function lookup(scope: Scope, prefix: string): string | undefined {
  for (let s: Scope | null = scope; s !== null; s = s.next) {
    const uri = s.decls.get(prefix);
    if (uri !== undefined) return uri;
  }
  return undefined;
}

const uris = new Map<string, string>([...Object.values(MEMO_NS), XSI_NS].map((u) => [u, u]));

/**
 * The canonical copy of a namespace URI, so comparisons with the schema's URIs are pointer-fast, or
 * null when it is not a URI reference (Namespaces in XML §2.2; libxml2 reports a namespace error).
 */
function internUri(uri: string): string | null {
  const known = uris.get(uri);
  if (known !== undefined) return known;
  if (uri !== "" && !isUriReference(uri)) return null;
  if (uris.size < 1000) uris.set(uri, uri);
  return uri;
}

/** Index of the first character XML forbids anywhere in a document, or -1. */
function forbiddenChar(s: string): number {
  const m = FORBIDDEN_CHAR_RE.exec(s);
  return m === null ? -1 : m.index;
}

function normalizeNewlines(raw: string): string {
  return raw.replace(/\r\n?/g, "\n");
}

/**
 * Parses decoded XML into a namespace-resolved element tree. Refuses a DOCTYPE (and so any entity
 * declaration or external reference) as soon as it is met, and stops at the configured depth and
 * element limits. The first well-formedness error ends parsing (XML errors are fatal).
 */
export function parseXml(s: string, limits: MemoLimits): ParseXmlResult {
  const len = s.length;
  const hasCR = s.indexOf("\r") !== -1;
  let pos = 0;
  let elementCount = 0;
  const stack: XmlElement[] = [];
  const rootScope: Scope = { decls: new Map([["xml", XML_NS]]), next: null };
  const scopes: Scope[] = [];
  let nextAmp = -2;
  let nextCdEnd = -2;

  const stop: (code: MemoIssueCode, message: string, at: number) => never = (code, message, at) => {
    throw new ParseStop([{ path: elementPath(stack[stack.length - 1] ?? null), code, message: `${where(s, at)}: ${message}` }]);
  };

  const skipSpace = (p: number): number => {
    while (p < len && isXmlSpace(s.charCodeAt(p))) p++;
    return p;
  };

  const comment = (p: number): number => {
    const end = s.indexOf("--", p + 4);
    if (end === -1 || s.charCodeAt(end + 2) !== 0x3e)
      stop("malformed_xml", end === -1 ? "unterminated comment" : "'--' is not allowed inside a comment", end === -1 ? p : end);
    return end + 3;
  };

  const pi = (p: number): number => {
    const end = s.indexOf("?>", p + 2);
    if (end === -1) stop("malformed_xml", "unterminated processing instruction", p);
    let t = p + 2;
    while (t < end && !isXmlSpace(s.charCodeAt(t))) t++;
    const target = s.slice(p + 2, t);
    if (!isXmlName(target)) stop("malformed_xml", "processing instruction without a valid target", p);
    if (target.toLowerCase() === "xml") stop("malformed_xml", "an XML declaration is only allowed at the very start", p);
    if (target.indexOf(":") !== -1)
      stop("malformed_xml", `processing instruction target '${target.slice(0, 40)}' contains ':' (Namespaces in XML §7)`, p);
    return end + 2;
  };

  const doctype = (p: number): never => {
    const gt = s.indexOf(">", p);
    const open = s.indexOf("[", p);
    let end = gt === -1 ? len : gt;
    if (open !== -1 && open < end) {
      const close = s.indexOf("]", open);
      end = close === -1 ? len : close;
    }
    const decl = s.slice(p, end);
    const issues: MemoIssue[] = [
      { path: "/", code: "dtd_forbidden", message: `${where(s, p)}: a DOCTYPE (DTD) is not allowed in a MeMo message` },
    ];
    if (/<!ENTITY/.test(decl))
      issues.push({ path: "/", code: "entity_forbidden", message: "entity declarations are not allowed (no entity expansion)" });
    if (/\b(?:SYSTEM|PUBLIC)\b/.test(decl))
      issues.push({
        path: "/",
        code: "external_reference_forbidden",
        message: "external references (SYSTEM/PUBLIC identifiers) are not allowed",
      });
    throw new ParseStop(issues);
  };

  const misc = (p: number, inProlog: boolean): number => {
    for (;;) {
      p = skipSpace(p);
      if (p >= len) return p;
      if (s.startsWith("<!--", p)) p = comment(p);
      else if (s.startsWith("<?", p)) p = pi(p);
      else if (inProlog && s.startsWith("<!DOCTYPE", p)) doctype(p);
      else if (s.startsWith("<!ENTITY", p)) stop("entity_forbidden", "entity declarations are not allowed", p);
      else return p;
    }
  };

  const text = (a: number, b: number): void => {
    if (nextCdEnd !== -1 && nextCdEnd < a) nextCdEnd = s.indexOf("]]>", a);
    if (nextCdEnd !== -1 && nextCdEnd < b) stop("malformed_xml", "']]>' is not allowed in character data", nextCdEnd);
    if (nextAmp !== -1 && nextAmp < a) nextAmp = s.indexOf("&", a);
    const hasAmp = nextAmp !== -1 && nextAmp < b;
    const top = stack[stack.length - 1]!;
    if (top.children.length === 0) {
      let raw = s.slice(a, b);
      if (hasCR) raw = normalizeNewlines(raw);
      if (hasAmp) raw = decode(raw, a);
      top.text = top.text === "" ? raw : top.text + raw;
      if (!top.hasText && !isBlank(raw, 0, raw.length)) top.hasText = true;
    } else if (!top.hasText) {
      if (hasAmp) {
        const raw = decode(s.slice(a, b), a);
        if (!isBlank(raw, 0, raw.length)) top.hasText = true;
      } else if (!isBlank(s, a, b)) top.hasText = true;
    }
  };

  const decode = (raw: string, base: number): string => {
    try {
      return decodeReferences(raw, base);
    } catch (err) {
      if (err instanceof XmlReferenceError)
        return stop(err.message.startsWith("entity") ? "entity_forbidden" : "malformed_xml", err.message, err.at);
      throw err;
    }
  };

  const startTag = (lt: number): number => {
    let p: number;
    let qname: string;
    let split: SplitName | null;
    const known = readKnownName(s, lt + 1);
    if (known !== null) {
      ({ qname, split } = known);
      p = known.end;
    } else {
      p = lt + 1;
      while (p < len) {
        const c = s.charCodeAt(p);
        if (c === 0x3e || c === 0x2f || isXmlSpace(c)) break;
        p++;
      }
      qname = s.slice(lt + 1, p);
      split = splitQName(qname);
      if (split === null) stop("malformed_xml", `'${qname.slice(0, 40)}' is not a valid element name`, lt);
      rememberName(qname, split);
    }
    const parentScope: Scope = scopes.length > 0 ? scopes[scopes.length - 1]! : rootScope;
    let decls: Map<string, string> | null = null;
    let raws: { qname: string; value: string; at: number }[] | null = null;
    let selfClose = false;
    let count = 0;
    for (;;) {
      const before = p;
      p = skipSpace(p);
      const c = s.charCodeAt(p);
      if (c === 0x3e) {
        p++;
        break;
      }
      if (c === 0x2f && s.charCodeAt(p + 1) === 0x3e) {
        p += 2;
        selfClose = true;
        break;
      }
      if (p >= len) stop("malformed_xml", `unterminated start tag <${qname}>`, lt);
      if (p === before) stop("malformed_xml", `whitespace is required between attributes of <${qname}>`, p);
      const nameStart = p;
      while (p < len) {
        const d = s.charCodeAt(p);
        if (d === 0x3d || d === 0x3e || d === 0x2f || isXmlSpace(d)) break;
        p++;
      }
      const aname = s.slice(nameStart, p);
      p = skipSpace(p);
      if (aname === "" || s.charCodeAt(p) !== 0x3d) stop("malformed_xml", `malformed attribute in <${qname}>`, nameStart);
      p = skipSpace(p + 1);
      const q = s.charCodeAt(p);
      if (q !== 0x22 && q !== 0x27) stop("malformed_xml", `attribute value of ${aname} must be quoted`, p);
      const close = s.indexOf(q === 0x22 ? '"' : "'", p + 1);
      if (close === -1) stop("malformed_xml", `unterminated attribute value of ${aname}`, p);
      let value = s.slice(p + 1, close);
      if (value.indexOf("<") !== -1) stop("malformed_xml", `'<' is not allowed in the value of attribute ${aname}`, p);
      if (/[\t\n\r]/.test(value)) value = (hasCR ? normalizeNewlines(value) : value).replace(/[\t\n]/g, " ");
      if (value.indexOf("&") !== -1) value = decode(value, p + 1);
      p = close + 1;
      if (++count > limits.maxAttributes) stop("too_large", `more than ${limits.maxAttributes} attributes on <${qname}>`, nameStart);
      if (aname === "xmlns" || aname.startsWith("xmlns:")) {
        const prefix = aname === "xmlns" ? "" : aname.slice(6);
        if (prefix !== "" && (splitQName(prefix)?.prefix !== "" || value === ""))
          stop("malformed_xml", `invalid namespace declaration ${aname}`, nameStart);
        if (prefix === "xmlns" || (prefix === "xml") !== (value === XML_NS) || value === XMLNS_NS)
          stop("malformed_xml", `reserved namespace misused in ${aname}`, nameStart);
        if (decls?.has(prefix)) stop("malformed_xml", `duplicate attribute ${aname}`, nameStart);
        const uri = internUri(value);
        if (uri === null)
          stop("malformed_xml", `${aname}: '${value.slice(0, 60)}' is not a URI reference, so not a namespace name`, nameStart);
        (decls ??= new Map()).set(prefix, uri);
      } else {
        (raws ??= []).push({ qname: aname, value, at: nameStart });
      }
    }
    const scope: Scope = decls === null ? parentScope : { decls, next: parentScope };
    const nsUri = split.prefix === "" ? (lookup(scope, "") ?? "") : lookup(scope, split.prefix);
    if (nsUri === undefined) stop("malformed_xml", `namespace prefix '${split.prefix}' of <${qname}> is not declared`, lt);
    let attributes = NO_ATTRIBUTES;
    if (raws !== null) {
      attributes = [];
      const seen = raws.length > PAIRWISE_ATTRIBUTES ? new Set<string>() : null;
      for (const r of raws) {
        const an = splitQName(r.qname);
        if (an === null) stop("malformed_xml", `'${r.qname.slice(0, 40)}' is not a valid attribute name`, r.at);
        const ans = an.prefix === "" ? "" : lookup(scope, an.prefix);
        if (ans === undefined) stop("malformed_xml", `namespace prefix '${an.prefix}' of attribute ${r.qname} is not declared`, r.at);
        // the same qname means the same expanded name, so comparing expanded names finds both kinds
        if (seen === null) {
          for (const o of attributes)
            if (o.local === an.local && o.ns === ans) stop("malformed_xml", `duplicate attribute ${r.qname}`, r.at);
        } else {
          const key = `${an.local}\u0000${ans}`; // U+0000 cannot occur in a name or a namespace URI
          if (seen.has(key)) stop("malformed_xml", `duplicate attribute ${r.qname}`, r.at);
          seen.add(key);
        }
        attributes.push({ ns: ans, local: an.local, qname: r.qname, value: r.value });
      }
    }
    const parent = stack[stack.length - 1] ?? null;
    const el: XmlElement = {
      ns: nsUri,
      local: split.local,
      localId: split.localId,
      qname,
      attributes,
      children: [],
      text: "",
      hasText: false,
      parent,
      position: parent === null ? 0 : parent.children.length,
      offset: lt,
      end: selfClose ? p : -1,
    };
    if (++elementCount > limits.maxElements) stop("too_large", `more than ${limits.maxElements} elements`, lt);
    if (stack.length + 1 > limits.maxDepth) stop("too_deep", `elements nest deeper than ${limits.maxDepth} levels`, lt);
    if (parent !== null) {
      if (parent.children.length === 0) parent.text = "";
      parent.children.push(el);
    }
    if (!selfClose) {
      stack.push(el);
      scopes.push(scope);
    }
    if (parent === null) root = el;
    return p;
  };

  let root: XmlElement | null = null;
  try {
    const bad = forbiddenChar(s);
    if (bad !== -1)
      stop("malformed_xml", `character U+${s.charCodeAt(bad).toString(16).toUpperCase().padStart(4, "0")} is not allowed in XML`, bad);
    if (s.startsWith("<?xml") && (s.charCodeAt(5) === 0x3f || isXmlSpace(s.charCodeAt(5)))) {
      const end = s.indexOf("?>");
      const m = end === -1 ? null : DECL_RE.exec(s.slice(0, end + 2));
      if (m === null) stop("malformed_xml", "malformed XML declaration", 0);
      const enc = m[3];
      if (enc !== undefined && !/^utf-?8$/i.test(enc))
        stop("invalid_encoding", `encoding ${enc} is not supported; MeMo messages are UTF-8`, 0);
      pos = end + 2;
    }
    pos = misc(pos, true);
    if (pos >= len || s.charCodeAt(pos) !== 0x3c) stop("malformed_xml", "no root element", pos);
    pos = startTag(pos);
    while (stack.length > 0) {
      const lt = s.indexOf("<", pos);
      if (lt === -1) stop("malformed_xml", `element <${stack[stack.length - 1]!.qname}> is not closed`, len);
      if (lt > pos) text(pos, lt);
      const c1 = s.charCodeAt(lt + 1);
      if (c1 === 0x2f) {
        const gt = s.indexOf(">", lt + 2);
        if (gt === -1) stop("malformed_xml", "unterminated end tag", lt);
        const top = stack[stack.length - 1]!;
        const q = top.qname;
        const nameEnd = lt + 2 + q.length;
        const same = nameEnd <= gt && s.slice(lt + 2, nameEnd) === q;
        if (!same || (nameEnd !== gt && !isBlank(s, nameEnd, gt))) {
          stop(
            "malformed_xml",
            `end tag </${s
              .slice(lt + 2, gt)
              .trim()
              .slice(0, 40)}> does not match <${top.qname}>`,
            lt,
          );
        }
        top.end = gt + 1;
        stack.pop();
        scopes.pop();
        pos = gt + 1;
      } else if (c1 === 0x21) {
        if (s.startsWith("<!--", lt)) pos = comment(lt);
        else if (s.startsWith("<![CDATA[", lt)) {
          const end = s.indexOf("]]>", lt + 9);
          if (end === -1) stop("malformed_xml", "unterminated CDATA section", lt);
          const top = stack[stack.length - 1]!;
          const raw = hasCR ? normalizeNewlines(s.slice(lt + 9, end)) : s.slice(lt + 9, end);
          if (top.children.length === 0) top.text += raw;
          // libxml2 counts any CDATA section, even an empty one, as text (not allowed in element-only content)
          top.hasText = true;
          pos = end + 3;
        } else if (s.startsWith("<!ENTITY", lt)) stop("entity_forbidden", "entity declarations are not allowed", lt);
        else if (s.startsWith("<!DOCTYPE", lt)) stop("dtd_forbidden", "a DOCTYPE (DTD) is not allowed in a MeMo message", lt);
        else stop("malformed_xml", "malformed markup declaration", lt);
      } else if (c1 === 0x3f) pos = pi(lt);
      else pos = startTag(lt);
    }
    pos = misc(pos, false);
    if (pos < len) stop("malformed_xml", "content after the root element", pos);
  } catch (err) {
    if (err instanceof ParseStop) return { ok: false, issues: err.issues };
    throw err;
  }
  return { ok: true, root: root! };
}

/** "line L, column C" of an offset, computed only when an error is reported. */
function where(s: string, at: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = s.indexOf("\n"); i !== -1 && i < at; i = s.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${at - lineStart + 1}`;
}
